/*
 * Mode exec: a process inside a running container (preStop hooks, exec probes, later kubectl
 * exec). The shim makes itself non-dumpable before touching the container (CVE-2019-5736: a
 * container process must not be able to open /proc/<shim>/exe), opens the target's namespaces and
 * the cgroup.procs files, enters the pid namespace for its child and forks. The child joins the
 * cgroups, then cgroup, ipc, uts, net and mnt namespaces, applies the container's credentials,
 * closes every fd and execs; it dies with the shim (SIGKILL as parent-death signal). The shim
 * relays the exit code; stdio is the caller's.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

struct target_ns {
    const char *name;
    int type;
};
/* The order of joining: mnt last, since it changes root and cwd. */
static const struct target_ns namespaces[] = {{"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC},
                                              {"uts", CLONE_NEWUTS},       {"net", CLONE_NEWNET},
                                              {"mnt", CLONE_NEWNS},        {NULL, 0}};

int exec_main(struct config *c) {
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) parent_fail(c, "set non-dumpable", errno);
    char path[128];
    int nsfd[5];
    for (int i = 0; namespaces[i].name; i++) {
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)c->target, namespaces[i].name);
        nsfd[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (nsfd[i] < 0) parent_fail(c, path, errno);
    }
    int *cgfds = calloc((size_t)c->n_cgroup_procs + 1, sizeof(int));
    for (int i = 0; i < c->n_cgroup_procs; i++) {
        cgfds[i] = open(c->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
        if (cgfds[i] < 0) parent_fail(c, c->cgroup_procs[i], errno);
    }
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)c->target);
    int pidns = open(path, O_RDONLY | O_CLOEXEC);
    if (pidns < 0 || setns(pidns, CLONE_NEWPID) < 0) parent_fail(c, "join pid namespace", errno);
    close(pidns);

    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) parent_fail(c, "pipe", errno);
    sigset_t set;
    block_signals(&set);
    pid_t pid = fork();
    if (pid < 0) parent_fail(c, "fork", errno);
    if (pid == 0) {
        close(ep[0]);
        shim_errfd = ep[1];
        reset_signals();
        for (int i = 0; i < c->n_cgroup_procs; i++) {
            if (write(cgfds[i], "0", 1) < 0) child_failf(errno, "join cgroup %s", c->cgroup_procs[i]);
            close(cgfds[i]);
        }
        for (int i = 0; namespaces[i].name; i++) {
            if (setns(nsfd[i], namespaces[i].type) < 0) child_failf(errno, "join %s namespace", namespaces[i].name);
            close(nsfd[i]);
        }
        const char *cwd = c->cwd ? c->cwd : "/";
        if (chdir(cwd) < 0) child_failf(errno, "chdir %s", cwd);
        close_fds_except(shim_errfd);
        apply_credentials(c);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) child_fail("set parent-death signal", errno);
        if (getppid() != 0) _exit(SHIM_EXIT_SETUP); /* the parent (outside this pid ns) died */
        exec_command(c);
    }
    close(ep[1]);
    for (int i = 0; namespaces[i].name; i++) close(nsfd[i]);
    for (int i = 0; i < c->n_cgroup_procs; i++) close(cgfds[i]);
    free(cgfds);
    struct supervision s = {.child = pid, .errpipe = ep[0], .out = -1, .err = -1, .logfd = -1};
    return supervise(c, &s);
}
