/*
 * capstan-shim: starts containers, pod namespace holders and exec processes for the capstan node
 * agent, and stays behind as their supervisor. See docs/runtime.md for what a container gets.
 *
 * Modes (main.c):  run      container.c   a container: fork into a new pid ns, set it up, exec
 *                  sandbox  sandbox.c     a pod's namespace holder (like Kubernetes' pause)
 *                  exec     nsexec.c      a process inside a running container (memfd.c first)
 *                  connect  connect.c     a TCP connection inside a pod's network namespace
 * The parent side of every mode is supervise.c; credentials and exec are creds.c; fs helpers,
 * the error pipe and files are util.c; byte relays relay.c, terminals pty.c, the rotating CRI log
 * logfile.c. C11 plus Linux syscalls, no library beyond libc.
 */
#ifndef CAPSTAN_SHIM_H
#define CAPSTAN_SHIM_H

#define _GNU_SOURCE
#include <stdint.h>
#include <sys/types.h>
#include <signal.h>
#include <stddef.h>

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
    long long log_max_bytes; /* rotate the log before it passes this size; 0: never */
    int log_max_files;       /* the log plus its rotated files .1 .. .K-1 */
    int stream, tty;         /* exec: relay through the shim with a status byte; a terminal */
    const char *resize_fifo; /* lines "COLS ROWS" resize the terminal */
    const char *stdin_fifo;  /* run: the container's stdin comes from this FIFO */
    int stdin_once;          /* run: the first writer's close is the container's stdin EOF */
    int port;                /* connect */
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

/* cgroupjoin.c: a child joins the --cgroup-procs cgroups without the kernel's slow migration */
struct cgroup_join {
    int n;
    int *fds;            /* per cgroup: v1 "tasks", else the cgroup.procs file, written "0" by the child */
    const char **names;
    int into;            /* a cgroup2 directory the child is cloned into (CLONE_INTO_CGROUP), or -1 */
    int into_index;      /* which of the n it is */
    int joined_into;     /* child: clone3 placed it there, no write needed */
};
void cgroup_join_open(const struct config *c, struct cgroup_join *j);
pid_t cgroup_fork(struct cgroup_join *j);
void cgroup_join_child(struct cgroup_join *j);
void cgroup_join_close(struct cgroup_join *j);

/* container.c */
struct child_stdio {
    int in, out, err; /* fds the child dups onto 0, 1, 2, or -1 */
    int tty;          /* socket to pass the master of the container's new terminal over, or -1 */
};
_Noreturn void container_child(struct config *c, struct cgroup_join *cg, const struct child_stdio *io);
int run_main(struct config *c);

/* sandbox.c */
int sandbox_main(struct config *c);

/* netsetup.c: capstan-shim net add|del (the native pod network) */
int net_main(int argc, char **argv);

/* nsexec.c */
int exec_main(struct config *c); /* after reexec_sealed() in main */

/* relay.c */
#define FLOW_EOF_NONE 0
#define FLOW_EOF_CLOSE 1
#define FLOW_EOF_SHUTDOWN 2
#define FLOW_EOF_VEOF 3
struct pollfd;
struct flow {
    int from, to, on_eof, active, eof;
    size_t off, len;
    char buf[16384];
};
void flow_init(struct flow *f, int from, int to, int on_eof);
void flow_poll(const struct flow *f, struct pollfd *p);
int flow_step(struct flow *f, short revents);
void flow_finish(struct flow *f);
void flow_drain(struct flow *f);
void set_nonblocking(int fd);

/* pty.c */
int open_host_pty(int *slave);
int open_container_pty(pid_t target, int *slave);
void take_terminal(int slave);
int send_fd(int sock, int fd);
int recv_fd(int sock);
void container_terminal(int sock);
int open_resize_fifo(const char *path);
void apply_resizes(int fifo, int master);

/* memfd.c */
int running_sealed(void);
void reexec_sealed(char **argv);

/* connect.c */
int connect_main(struct config *c);

/* logfile.c: the CRI log, rotated by size */
struct logfile {
    int fd;
    const char *path;
    long long size, max;
    int files;
};
int logfile_open(struct logfile *l, const char *path, long long max, int files);
void logfile_write(struct logfile *l, const void *buf, size_t len);

/* supervise.c */
struct supervision {
    pid_t child;
    int errpipe;       /* read end; EOF once the command was exec'd */
    int out, err;      /* pipes with the container's stdout/stderr (or the pty master as out), or -1 */
    int logfd;         /* kept for the modes that log nothing (-1); run mode uses log */
    struct logfile *log; /* CRI log file, or NULL */
    /* run mode with stdin/tty; fds <= 0 mean none (fd 0 is /dev/null in these modes) */
    int stdin_fifo;    /* the FIFO the container's stdin is fed from */
    int stdin_to;      /* ... into this fd (pipe write end or pty master) */
    int resize;        /* resize FIFO for the pty master (out) */
};
int supervise(const struct config *c, struct supervision *s);
extern const int forwarded_signals[];

#endif
