/*
 * How a new child joins the cgroups named by --cgroup-procs (one cgroup.procs file per hierarchy)
 * without the kernel's slow path. Moving a process through cgroup.procs takes the global
 * threadgroup rwsem for writing, which waits for an RCU grace period: 7 to 18 ms per start on
 * this kind of machine, the largest single step of a container start. Two ways avoid it:
 *
 *  - cgroup v1: the child writes "0" to the hierarchy's "tasks" file instead. That moves only the
 *    calling thread, and the kernel skips the global lock for a thread moving itself; the child
 *    is single-threaded, so the thread is the whole process.
 *  - cgroup v2 (no per-thread move across domains): the child is created in the cgroup with
 *    clone3(CLONE_INTO_CGROUP), so it never moves. Kernels without it fall back to fork() and a
 *    write of "0" to cgroup.procs.
 *
 * The parent opens everything while it still sees the host (cgroup_join_open), forks with
 * cgroup_fork, and the child finishes with cgroup_join_child before it enters any namespace.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#define CGROUP_SUPER_MAGIC_V1 0x27e0eb
#define CGROUP_SUPER_MAGIC_V2 0x63677270
#define CLONE_INTO_CGROUP_FLAG 0x200000000ULL

/* struct clone_args of linux/sched.h up to the cgroup field (CLONE_ARGS_SIZE_VER2, 88 bytes). */
struct clone3_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

/* The directory of "<dir>/cgroup.procs", opened; -1 if the path names another file. */
static int procs_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash || strcmp(slash + 1, "cgroup.procs") != 0) return -1;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    return open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void cgroup_join_open(const struct config *c, struct cgroup_join *j) {
    j->n = c->n_cgroup_procs;
    j->fds = calloc((size_t)j->n + 1, sizeof(int));
    j->names = c->cgroup_procs;
    j->into = -1;
    j->into_index = -1;
    for (int i = 0; i < j->n; i++) {
        const char *path = c->cgroup_procs[i];
        int dir = procs_dir(path);
        struct statfs fs;
        j->fds[i] = -1;
        if (dir >= 0 && fstatfs(dir, &fs) == 0) {
            if (fs.f_type == CGROUP_SUPER_MAGIC_V1) {
                j->fds[i] = openat(dir, "tasks", O_WRONLY | O_CLOEXEC);
            } else if (fs.f_type == CGROUP_SUPER_MAGIC_V2 && j->into < 0) {
                j->into = dir;
                j->into_index = i;
                dir = -1;
            }
        }
        if (dir >= 0) close(dir);
        if (j->fds[i] < 0) j->fds[i] = open(path, O_WRONLY | O_CLOEXEC); /* also the fallback for v2 */
        if (j->fds[i] < 0) {
            char step[4200];
            snprintf(step, sizeof step, "open %s", path);
            parent_fail(c, step, errno);
        }
    }
}

pid_t cgroup_fork(struct cgroup_join *j) {
    if (j->into >= 0) {
        struct clone3_args args;
        memset(&args, 0, sizeof args);
        args.flags = CLONE_INTO_CGROUP_FLAG;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)j->into;
        /* Like fork(): the child runs on a copy of this stack. libc's cached thread id is not
         * updated in the child; the child never uses it (no raise, no threads) before it execs. */
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0) {
            if (pid == 0) j->joined_into = 1;
            return (pid_t)pid;
        }
        /* ENOSYS, E2BIG (no CLONE_INTO_CGROUP) or a cgroup it refuses: the write reports it */
    }
    return fork();
}

void cgroup_join_child(struct cgroup_join *j) {
    for (int i = 0; i < j->n; i++) {
        if (i == j->into_index && j->joined_into) {
            close(j->fds[i]);
            continue;
        }
        if (write(j->fds[i], "0", 1) < 0) child_failf(errno, "join cgroup %s", j->names[i]);
        close(j->fds[i]);
    }
    if (j->into >= 0) close(j->into);
}

void cgroup_join_close(struct cgroup_join *j) {
    for (int i = 0; i < j->n; i++) close(j->fds[i]);
    if (j->into >= 0) close(j->into);
    free(j->fds);
    j->fds = NULL;
}
