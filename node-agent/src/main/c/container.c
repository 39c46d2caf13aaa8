/*
 * Mode run: one container. The parent (the shim) opens the cgroups (cgroupjoin.c) and the log while
 * it is still in the host's namespaces, enters a new (or the pod's) pid namespace for its children
 * only and forks. The child is the container's PID 1: it joins the cgroups, gets new
 * mount and cgroup namespaces plus new or joined UTS/IPC/NET, builds the rootfs, drops privileges,
 * closes every fd and execs. The shim never enters the child's mount namespace (pivot_root would
 * re-root it as well).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void join_ns(const char *path, int type, const char *what) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) child_failf(errno, "open %s namespace %s", what, path);
    if (setns(fd, type) < 0) child_failf(errno, "join %s namespace %s", what, path);
    close(fd);
}

/* --init: PID 1 runs the command as PID 2, forwards signals to it, reaps every orphan, and exits
 * with the command's status (128 + signal if it was killed), like tini. */
static _Noreturn void init_main(struct config *c) {
    sigset_t set;
    block_signals(&set);
    pid_t cmd = fork();
    if (cmd < 0) child_fail("fork command", errno);
    if (cmd == 0) {
        reset_signals();
        exec_command(c);
    }
    close(shim_errfd);
    shim_errfd = -1;
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&set, &si);
        if (sig < 0) continue;
        if (sig != SIGCHLD) {
            kill(cmd, sig);
            continue;
        }
        int status;
        pid_t p;
        while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
            if (p != cmd) continue;
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        }
    }
}

void container_child(struct config *c, struct cgroup_join *cg, const struct child_stdio *io) {
    reset_signals();
    if (setsid() < 0) child_fail("setsid", errno);
    cgroup_join_child(cg);
    if (io->tty < 0) {
        if (io->in >= 0 && dup2(io->in, 0) < 0) child_fail("dup2 stdin pipe", errno);
        if (io->out >= 0 && (dup2(io->out, 1) < 0 || dup2(io->err, 2) < 0)) child_fail("dup2 log pipes", errno);
    }

    int flags = CLONE_NEWNS | CLONE_NEWCGROUP;
    if (c->netns) join_ns(c->netns, CLONE_NEWNET, "net"); else flags |= CLONE_NEWNET;
    if (c->ipcns) join_ns(c->ipcns, CLONE_NEWIPC, "ipc"); else flags |= CLONE_NEWIPC;
    if (c->utsns) join_ns(c->utsns, CLONE_NEWUTS, "uts"); else flags |= CLONE_NEWUTS;
    if (unshare(flags) < 0) child_fail("unshare", errno);
    if (!c->netns) loopback_up();

    setup_rootfs(c);
    if (!c->utsns && c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0) {
        child_fail("sethostname", errno);
    }
    const char *cwd = c->cwd ? c->cwd : "/";
    if (chdir(cwd) < 0) child_failf(errno, "chdir %s", cwd);
    char real[4096];
    if (!getcwd(real, sizeof real) || real[0] != '/') child_failf(EINVAL, "cwd %s is outside the container", cwd);

    if (io->tty >= 0) container_terminal(io->tty); /* its own devpts is mounted now */
    close_fds_except(shim_errfd);
    apply_credentials(c);
    if (c->init) init_main(c);
    exec_command(c);
}

/*
 * stdin and terminal of a container: with --stdin-fifo the shim creates the FIFO and feeds what
 * attachers write into the container's stdin (a pipe, or the terminal); with --tty the container
 * gets a new terminal of its own devpts (made by the child, see container_terminal) whose output
 * goes into the log as stdout and whose size follows --resize-fifo.
 */
static void prepare_stdio(struct config *c, struct supervision *s, struct child_stdio *io, int *outp, int *errp) {
    if (c->tty) {
        int sp[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) parent_fail(c, "socketpair", errno);
        io->tty = sp[1];
        s->out = sp[0]; /* the master arrives on it once the child has its root (receive_terminal) */
        if (c->resize_fifo && (s->resize = open_resize_fifo(c->resize_fifo)) < 0) {
            parent_fail(c, "open the resize FIFO", errno);
        }
    } else if (c->log) {
        if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) parent_fail(c, "pipe", errno);
        io->out = outp[1];
        io->err = errp[1];
    }
    if (!c->stdin_fifo) return;
    unlink(c->stdin_fifo);
    if (mkfifo(c->stdin_fifo, 0600) < 0) parent_fail(c, "create the stdin FIFO", errno);
    s->stdin_fifo = open(c->stdin_fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (s->stdin_fifo < 0) parent_fail(c, "open the stdin FIFO", errno);
    if (c->tty) {
        s->stdin_to = s->out; /* replaced by the master with it */
    } else {
        int inp[2];
        if (pipe2(inp, O_CLOEXEC) < 0) parent_fail(c, "pipe", errno);
        set_nonblocking(inp[1]);
        io->in = inp[0];
        s->stdin_to = inp[1];
    }
}

/* The master of the container's terminal replaces the socket it came over; none if setup failed. */
static void receive_terminal(struct supervision *s) {
    int sock = s->out;
    int master = recv_fd(sock);
    close(sock);
    if (master >= 0) set_nonblocking(master);
    s->out = master;
    if (s->stdin_to == sock) s->stdin_to = master;
}

int run_main(struct config *c) {
    struct cgroup_join cg;
    cgroup_join_open(c, &cg);
    struct supervision s = {.child = -1, .errpipe = -1, .out = -1, .err = -1, .logfd = -1};
    static struct logfile log;
    int outp[2] = {-1, -1}, errp[2] = {-1, -1};
    struct child_stdio io = {.in = -1, .out = -1, .err = -1, .tty = -1};
    if (c->log) {
        if (logfile_open(&log, c->log, c->log_max_bytes, c->log_max_files) < 0) parent_fail(c, "open log", errno);
        s.log = &log;
    }
    prepare_stdio(c, &s, &io, outp, errp);
    if (c->pidns) {
        int fd = open(c->pidns, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWPID) < 0) parent_fail(c, "join pid namespace", errno);
        close(fd);
    } else if (unshare(CLONE_NEWPID) < 0) {
        parent_fail(c, "unshare pid namespace", errno);
    }
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) parent_fail(c, "pipe", errno);
    sigset_t set;
    block_signals(&set);
    pid_t pid = cgroup_fork(&cg);
    if (pid < 0) parent_fail(c, "fork", errno);
    if (pid == 0) {
        close(ep[0]);
        shim_errfd = ep[1];
        container_child(c, &cg, &io); /* the shim's own fds are O_CLOEXEC and closed before exec */
    }
    close(ep[1]);
    cgroup_join_close(&cg);
    if (io.tty >= 0) {
        close(io.tty);
        receive_terminal(&s);
    }
    if (io.in >= 0) close(io.in);
    if (outp[1] >= 0) {
        close(outp[1]);
        close(errp[1]);
        s.out = outp[0];
        s.err = errp[0];
    }
    s.child = pid;
    s.errpipe = ep[0];
    return supervise(c, &s);
}
