/*
 * The shim's side after fork: wait for the exec (or the setup error), write the pidfile, then
 * forward signals, copy the container's stdout/stderr (or its terminal) into the CRI log, feed its
 * stdin from the stdin FIFO (reopened after each writer went away; with --stdin-once the first
 * hangup is the container's EOF), apply terminal resizes, reap the child and write the exit file. It depends on nothing of the agent: no pipe to the JVM, no parent-death signal.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* Kubernetes splits long lines at 16 KiB; the parts are tagged P, the last one (or a whole line) F. */
#define LOG_LINE_MAX 16384

struct stream {
    int fd;
    const char *name;
    size_t len;
    char buf[LOG_LINE_MAX];
};

/* One CRI log line: "<RFC3339Nano> <stream> <F|P> <content>\n" in a single write. */
static void log_line(struct logfile *log, const char *stream, char tag, const char *p, size_t n) {
    static char line[LOG_LINE_MAX + 128];
    char now[64];
    if (!log) return;
    format_time(now, sizeof now);
    int hn = snprintf(line, 96, "%s %s %c ", now, stream, tag);
    memcpy(line + hn, p, n);
    line[(size_t)hn + n] = '\n';
    logfile_write(log, line, (size_t)hn + n + 1);
}

/* Reads once: 1 if data came, 2 if none was ready, 0 at EOF (flushing a last line as F). */
static int pump(struct stream *s, struct logfile *logfd) {
    ssize_t n;
    do {
        n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) return 2;
    if (n <= 0) {
        if (s->len > 0) log_line(logfd, s->name, 'F', s->buf, s->len);
        s->len = 0;
        return 0;
    }
    s->len += (size_t)n;
    size_t start = 0;
    for (size_t i = s->len - (size_t)n; i < s->len; i++) {
        if (s->buf[i] != '\n') continue;
        log_line(logfd, s->name, 'F', s->buf + start, i - start);
        start = i + 1;
    }
    memmove(s->buf, s->buf + start, s->len - start);
    s->len -= start;
    if (s->len == sizeof s->buf) {
        log_line(logfd, s->name, 'P', s->buf, s->len);
        s->len = 0;
    }
    return 1;
}

/* The setup error line from the child, empty if the command was exec'd. */
static void read_setup_error(int fd, char *msg, size_t len) {
    size_t got = 0;
    for (;;) {
        ssize_t n = read(fd, msg + got, len - 1 - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
        if (got == len - 1) break;
    }
    msg[got] = 0;
    close(fd);
}

/*
 * The stdin FIFO hung up (its last writer closed): with --stdin-once that ends the container's
 * stdin; otherwise the FIFO is reopened so the next attach finds a reader and the container
 * never sees EOF.
 */
static void reopen_stdin(const struct config *c, struct flow *in) {
    int fd = open(c->stdin_fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
        dup3(fd, in->from, O_CLOEXEC);
        close(fd);
    }
    in->active = 1;
    in->eof = 0;
}

static void stdin_step(const struct config *c, struct flow *in, short revents) {
    if (in->len == 0 && (revents & (POLLHUP | POLLERR)) && !(revents & POLLIN)) {
        if (c->stdin_once) flow_finish(in);
        else reopen_stdin(c, in);
        return;
    }
    if (!flow_step(in, revents) && in->eof && !c->stdin_once) reopen_stdin(c, in);
}

static void write_exit_file(const struct config *c, int code, int sig, const char *error) {
    if (!c->exit_file) return;
    char content[2048], now[64];
    format_time(now, sizeof now);
    int n = snprintf(content, sizeof content, "exit=%d signal=%d finished=%s\n", code, sig, now);
    if (error) snprintf(content + n, sizeof content - (size_t)n, "error=%s\n", error);
    if (write_file_atomic(c->exit_file, content) < 0) {
        dprintf(2, "capstan-shim: write exit file %s: %s (errno %d)\n", c->exit_file, strerror(errno), errno);
    }
}

static int wait_status_code(int status, int *sig) {
    *sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + *sig;
}

int supervise(const struct config *c, struct supervision *s) {
    signal(SIGPIPE, SIG_IGN);
    char msg[1500];
    read_setup_error(s->errpipe, msg, sizeof msg);
    if (msg[0]) {
        int status;
        while (waitpid(s->child, &status, 0) < 0 && errno == EINTR) {}
        char line[1600];
        snprintf(line, sizeof line, "capstan-shim: %s", msg);
        dprintf(2, "%s\n", line);
        write_exit_file(c, SHIM_EXIT_SETUP, 0, line);
        return SHIM_EXIT_SETUP;
    }
    if (c->pidfile) {
        char pid[32];
        snprintf(pid, sizeof pid, "%d\n", (int)s->child);
        if (write_file_atomic(c->pidfile, pid) < 0) {
            dprintf(2, "capstan-shim: write pidfile %s: %s (errno %d)\n", c->pidfile, strerror(errno), errno);
        }
    }

    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; forwarded_signals[i]; i++) sigaddset(&set, forwarded_signals[i]);
    sigaddset(&set, SIGCHLD);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0) dprintf(2, "capstan-shim: signalfd: %s\n", strerror(errno));

    static struct stream out = {.name = "stdout"}, err = {.name = "stderr"};
    out.fd = s->out;
    err.fd = s->err;
    static struct flow in;
    flow_init(&in, s->stdin_fifo > 0 ? s->stdin_fifo : -1, s->stdin_to > 0 ? s->stdin_to : -1,
              !c->stdin_once ? FLOW_EOF_NONE : s->stdin_to == s->out ? FLOW_EOF_VEOF : FLOW_EOF_CLOSE);
    int status = 0, exited = 0;
    while (!exited) {
        struct pollfd p[5] = {{sfd, POLLIN, 0}, {out.fd, POLLIN, 0}, {err.fd, POLLIN, 0}, {-1, 0, 0},
                              {s->resize > 0 ? s->resize : -1, POLLIN, 0}};
        flow_poll(&in, &p[3]);
        if (poll(p, 5, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[1].revents && !pump(&out, s->log)) out.fd = -1;
        if (p[2].revents && !pump(&err, s->log)) err.fd = -1;
        if (p[3].revents) stdin_step(c, &in, p[3].revents);
        if (p[4].revents) apply_resizes(s->resize, s->out);
        if (!p[0].revents) continue;
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof si) != sizeof si) continue;
        if ((int)si.ssi_signo != SIGCHLD) {
            kill(s->child, (int)si.ssi_signo);
            continue;
        }
        pid_t r;
        while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
            if (r == s->child) exited = 1;
        }
    }
    /* Drain what the container wrote before it died; don't wait for leftover writers. */
    struct stream *streams[2] = {&out, &err};
    for (int i = 0; i < 2; i++) {
        if (streams[i]->fd < 0) continue;
        fcntl(streams[i]->fd, F_SETFL, O_NONBLOCK);
        while (pump(streams[i], s->log) == 1) {}
        if (streams[i]->len > 0) log_line(s->log, streams[i]->name, 'F', streams[i]->buf, streams[i]->len);
        close(streams[i]->fd);
    }
    int sig;
    int code = wait_status_code(status, &sig);
    write_exit_file(c, code, sig, NULL);
    return code;
}
