/*
 * Mode sandbox: the pod's namespace holder, like Kubernetes' pause. The child gets new UTS (with
 * the pod's hostname), IPC and NET namespaces (lo up) or joins --netns, and with --new-pidns it is
 * PID 1 of a pod pid namespace and reaps every orphan in it. It then sleeps until SIGTERM/SIGINT.
 * Containers of the pod join it through /proc/<pid>/ns/{net,ipc,uts[,pid]}; the pidfile holds
 * that pid. It joins the --cgroup-procs cgroups (the pod's sandbox cgroup) before it runs, as a
 * container does. The parent is the usual shim (pidfile, signal forwarding, exit file).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static _Noreturn void holder_main(const struct config *c, struct cgroup_join *cg) {
    cgroup_join_child(cg);
    if (setsid() < 0) child_fail("setsid", errno);
    int flags = CLONE_NEWUTS | CLONE_NEWIPC;
    if (c->netns) {
        int fd = open(c->netns, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) child_failf(errno, "join net namespace %s", c->netns);
        close(fd);
    } else {
        flags |= CLONE_NEWNET;
    }
    if (unshare(flags) < 0) child_fail("unshare", errno);
    if (!c->netns) loopback_up();
    if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0) child_fail("sethostname", errno);
    apply_sysctls(c, -1); /* the host's /proc/sys: net and ipc entries are those of this process */
    if (chdir("/") < 0) child_fail("chdir /", errno);
    close_fds_except(-1);
    shim_errfd = -1; /* closed above: the parent sees EOF, setup succeeded */

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_SETMASK, &set, NULL);
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&set, &si);
        if (sig == SIGTERM || sig == SIGINT) _exit(0);
        if (sig == SIGCHLD) {
            while (waitpid(-1, NULL, WNOHANG) > 0) {}
        }
    }
}

int sandbox_main(struct config *c) {
    struct cgroup_join cg;
    cgroup_join_open(c, &cg);
    if (c->new_pidns && unshare(CLONE_NEWPID) < 0) parent_fail(c, "unshare pid namespace", errno);
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) parent_fail(c, "pipe", errno);
    sigset_t set;
    block_signals(&set);
    pid_t pid = cgroup_fork(&cg);
    if (pid < 0) parent_fail(c, "fork", errno);
    if (pid == 0) {
        close(ep[0]);
        shim_errfd = ep[1];
        holder_main(c, &cg);
    }
    close(ep[1]);
    cgroup_join_close(&cg);
    struct supervision s = {.child = pid, .errpipe = ep[0], .out = -1, .err = -1, .logfd = -1};
    return supervise(c, &s);
}
