/*
 * Mode exec: a process inside a running container (preStop hooks, exec probes, later kubectl
 * exec). The shim makes itself non-dumpable before touching the container (CVE-2019-5736: a
 * container process must not be able to open /proc/<shim>/exe), opens the target's namespaces and
 * the cgroup.procs files, enters the pid namespace for its child and forks. The child joins the
 * cgroups, then cgroup, ipc, uts, net and mnt namespaces, applies the container's credentials,
 * closes every fd and execs; it dies with the shim (SIGKILL as parent-death signal). The shim
 * relays the exit code. Before all that it re-executes itself from a sealed memfd copy (memfd.c).
 *
 * Without --stream stdio is the caller's. With --stream (kubectl exec) stdin stays the caller's
 * (its EOF is the command's), stdout and stderr are relayed through the shim, which first writes
 * one status byte 'S' to stdout once the command was exec'd, so a setup failure (exit 125, the
 * error line on stderr) is told apart from the command's output. With --tty the command gets a
 * terminal of the container's devpts as controlling terminal and stdio; the shim relays stdin to
 * it (stdin EOF types ^D) and its output to stdout, and applies --resize-fifo lines.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

struct target_ns {
    const char *name;
    int type;
};
/* The order of joining: mnt last, since it changes root and cwd. */
static const struct target_ns namespaces[] = {{"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC},
                                              {"uts", CLONE_NEWUTS},       {"net", CLONE_NEWNET},
                                              {"mnt", CLONE_NEWNS},        {NULL, 0}};

/* The command's stdio in --stream mode: pipes for stdout/stderr, or a terminal. */
struct exec_io {
    int master, slave;   /* --tty */
    int outp[2], errp[2]; /* --stream without --tty */
    int resize;
};

static void prepare_io(struct config *c, struct exec_io *io) {
    io->master = io->slave = io->resize = -1;
    io->outp[0] = io->outp[1] = io->errp[0] = io->errp[1] = -1;
    if (c->tty) {
        io->master = open_container_pty(c->target, &io->slave);
        if (io->master < 0) parent_fail(c, "open a terminal", errno);
        if (c->resize_fifo && (io->resize = open_resize_fifo(c->resize_fifo)) < 0) {
            parent_fail(c, "open the resize FIFO", errno);
        }
    } else if (c->stream) {
        if (pipe2(io->outp, O_CLOEXEC) < 0 || pipe2(io->errp, O_CLOEXEC) < 0) parent_fail(c, "pipe", errno);
    }
}

static void child_io(const struct exec_io *io) {
    if (io->slave >= 0) {
        take_terminal(io->slave);
    } else if (io->outp[1] >= 0) {
        if (dup2(io->outp[1], 1) < 0 || dup2(io->errp[1], 2) < 0) child_fail("dup2 output pipes", errno);
    }
}

static int exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* --stream: status byte, then relay until the command has ended and its output is drained. */
static int relay_exec(struct config *c, pid_t pid, int errpipe, struct exec_io *io) {
    signal(SIGPIPE, SIG_IGN);
    char msg[1500];
    size_t got = 0;
    ssize_t n;
    while ((n = read(errpipe, msg + got, sizeof msg - 1 - got)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) got += (size_t)n;
    }
    msg[got] = 0;
    close(errpipe);
    int status;
    if (got > 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        dprintf(2, "capstan-shim: %s\n", msg);
        return SHIM_EXIT_SETUP;
    }
    if (write_all(1, "S", 1) < 0) {
        kill(pid, SIGKILL);
    }
    static struct flow flows[3];
    if (io->master >= 0) {
        set_nonblocking(io->master);
        flow_init(&flows[0], 0, io->master, FLOW_EOF_VEOF);
        flow_init(&flows[1], io->master, 1, FLOW_EOF_CLOSE);
        flow_init(&flows[2], -1, -1, FLOW_EOF_NONE);
    } else {
        flow_init(&flows[0], -1, -1, FLOW_EOF_NONE);
        flow_init(&flows[1], io->outp[0], 1, FLOW_EOF_CLOSE);
        flow_init(&flows[2], io->errp[0], 2, FLOW_EOF_CLOSE);
    }
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; forwarded_signals[i]; i++) sigaddset(&set, forwarded_signals[i]);
    sigaddset(&set, SIGCHLD);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    int exited = 0;
    status = 0;
    while (!exited) {
        struct pollfd p[5] = {{sfd, POLLIN, 0}, {0}, {0}, {0}, {io->resize, POLLIN, 0}};
        for (int i = 0; i < 3; i++) flow_poll(&flows[i], &p[i + 1]);
        if (poll(p, 5, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 3; i++) flow_step(&flows[i], p[i + 1].revents);
        if (p[4].revents) apply_resizes(io->resize, io->master);
        if (!p[0].revents) continue;
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) != sizeof si) continue;
        if ((int)si.ssi_signo != SIGCHLD) {
            kill(pid, (int)si.ssi_signo);
            continue;
        }
        pid_t r;
        while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
            if (r == pid) exited = 1;
        }
    }
    flow_drain(&flows[1]);
    flow_drain(&flows[2]);
    return exit_code(status);
}

int exec_main(struct config *c) {
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) parent_fail(c, "set non-dumpable", errno);
    struct exec_io io;
    prepare_io(c, &io);
    char path[128];
    int nsfd[5];
    for (int i = 0; namespaces[i].name; i++) {
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)c->target, namespaces[i].name);
        nsfd[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (nsfd[i] < 0) parent_fail(c, path, errno);
    }
    struct cgroup_join cg;
    cgroup_join_open(c, &cg);
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)c->target);
    int pidns = open(path, O_RDONLY | O_CLOEXEC);
    if (pidns < 0 || setns(pidns, CLONE_NEWPID) < 0) parent_fail(c, "join pid namespace", errno);
    close(pidns);

    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) parent_fail(c, "pipe", errno);
    sigset_t set;
    block_signals(&set);
    pid_t pid = cgroup_fork(&cg);
    if (pid < 0) parent_fail(c, "fork", errno);
    if (pid == 0) {
        close(ep[0]);
        shim_errfd = ep[1];
        reset_signals();
        cgroup_join_child(&cg);
        for (int i = 0; namespaces[i].name; i++) {
            if (setns(nsfd[i], namespaces[i].type) < 0) child_failf(errno, "join %s namespace", namespaces[i].name);
            close(nsfd[i]);
        }
        const char *cwd = c->cwd ? c->cwd : "/";
        if (chdir(cwd) < 0) child_failf(errno, "chdir %s", cwd);
        child_io(&io);
        close_fds_except(shim_errfd);
        apply_credentials(c);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) child_fail("set parent-death signal", errno);
        if (getppid() != 0) _exit(SHIM_EXIT_SETUP); /* the parent (outside this pid ns) died */
        exec_command(c);
    }
    close(ep[1]);
    for (int i = 0; namespaces[i].name; i++) close(nsfd[i]);
    cgroup_join_close(&cg);
    if (io.slave >= 0) close(io.slave);
    if (io.outp[1] >= 0) {
        close(io.outp[1]);
        close(io.errp[1]);
    }
    if (c->stream || c->tty) return relay_exec(c, pid, ep[0], &io);
    struct supervision s = {.child = pid, .errpipe = ep[0], .out = -1, .err = -1, .logfd = -1};
    return supervise(c, &s);
}
