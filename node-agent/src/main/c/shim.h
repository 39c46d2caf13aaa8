/*
 * capstan-shim: starts containers, pod namespace holders and exec processes for the capstan node
 * agent, and stays behind as their supervisor. See docs/runtime.md for what a container gets.
 *
 * Modes (main.c):  run      container.c   a container: fork into a new pid ns, set it up, exec
 *                  sandbox  sandbox.c     a pod's namespace holder (like Kubernetes' pause)
 *                  exec     nsexec.c      a process inside a running container
 * The parent side of every mode is supervise.c; credentials and exec are creds.c; fs helpers,
 * the error pipe and files are util.c. C11 plus Linux syscalls, no library beyond libc.
 */
#ifndef CAPSTAN_SHIM_H
#define CAPSTAN_SHIM_H

#define _GNU_SOURCE
#include <stdint.h>
#include <sys/types.h>
#include <signal.h>

#define SHIM_EXIT_SETUP 125 /* setup failed before the command ran (as docker run and runc) */

struct bind_mount {
    const char *src;
    const char *dst;
    int read_only;
};

struct config {
    const char *mode;
    const char *rootfs;
    const char *hostname;
    const char **cgroup_procs;
    int n_cgroup_procs;
    const char *netns, *ipcns, *utsns, *pidns;
    int new_pidns; /* sandbox: also hold a pid namespace */
    struct bind_mount *mounts;
    int n_mounts;
    int privileged, readonly_rootfs, no_new_privs, init;
    long uid, gid; /* -1: root */
    gid_t *groups;
    int n_groups;
    const char **cap_add, **cap_drop;
    int n_cap_add, n_cap_drop;
    char **env; /* NULL-terminated, room for 2 defaults */
    int n_env;
    const char **sysctls; /* NAME=VALUE */
    int n_sysctls;
    const char *cwd;
    const char *pidfile, *exit_file, *log;
    pid_t target;
    char **argv; /* the command, NULL-terminated */
    uint64_t caps;  /* resolved capability set */
    int cap_last;   /* /proc/sys/kernel/cap_last_cap */
};

/* util.c: the error pipe of the child and failure reporting */
extern int shim_errfd;
_Noreturn void child_fail(const char *step, int err);
_Noreturn void child_failf(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void parent_fail(const struct config *c, const char *step, int err);
_Noreturn void setup_error(const struct config *c, const char *message);
int write_file_atomic(const char *path, const char *content);
void format_time(char *buf, size_t len);
int open_in_root(int rootfd, const char *path, int flags);
int mkdir_in_root(int rootfd, const char *path, mode_t mode);
int touch_in_root(int rootfd, const char *path);
int fd_path(char *buf, size_t len, int fd);
void close_fds_except(int keep);
void reset_signals(void);
void block_signals(sigset_t *old);
int write_all(int fd, const void *buf, size_t len);
void loopback_up(void);

/* rootfs.c, cgroupfs.c */
void setup_rootfs(const struct config *c);
void mount_in_root(int rootfd, const char *path, const char *src, const char *fstype, unsigned long flags,
                   const char *data);
void setup_cgroupfs(int rootfd, int privileged);

/* sysctl.c */
int sysctl_check(const char *spec, char *err, size_t errlen);
void apply_sysctls(const struct config *c, int rootfd);

/* caps.c */
int caps_resolve(struct config *c, char *err, size_t errlen);

/* creds.c */
void apply_credentials(const struct config *c);
_Noreturn void exec_command(const struct config *c);

/* container.c */
_Noreturn void container_child(struct config *c, const int *cgfds, int out_fd, int err_fd);
int run_main(struct config *c);

/* sandbox.c */
int sandbox_main(struct config *c);

/* netsetup.c: capstan-shim net add|del (the native pod network) */
int net_main(int argc, char **argv);

/* nsexec.c */
int exec_main(struct config *c);

/* supervise.c */
struct supervision {
    pid_t child;
    int errpipe;     /* read end; EOF once the command was exec'd */
    int out, err;    /* pipes with the container's stdout/stderr, or -1 */
    int logfd;       /* CRI log file, or -1 */
};
int supervise(const struct config *c, struct supervision *s);
extern const int forwarded_signals[];

#endif
