/*
 * Byte flows between two fds driven by one poll loop: exec's stdin -> pty master and master ->
 * stdout, connect's stdin <-> socket, a container's stdin FIFO -> its stdin. A flow reads only
 * when its buffer is empty and writes without blocking the loop when its target is non-blocking,
 * so a slow side never stalls the other direction. At input EOF the flow ends its output as
 * asked: close it, shutdown(SHUT_WR) a socket, or type the terminal's EOF character.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void flow_init(struct flow *f, int from, int to, int on_eof) {
    memset(f, 0, sizeof *f);
    f->from = from;
    f->to = to;
    f->on_eof = on_eof;
    f->active = from >= 0 && to >= 0;
}

void set_nonblocking(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* What to poll for: input while the buffer is empty, else output. */
void flow_poll(const struct flow *f, struct pollfd *p) {
    p->revents = 0;
    if (!f->active) {
        p->fd = -1;
        p->events = 0;
    } else if (f->len == 0) {
        p->fd = f->from;
        p->events = POLLIN;
    } else {
        p->fd = f->to;
        p->events = POLLOUT;
    }
}

static void flow_end_output(struct flow *f) {
    switch (f->on_eof) {
    case FLOW_EOF_CLOSE: close(f->to); break;
    case FLOW_EOF_SHUTDOWN: shutdown(f->to, SHUT_WR); break;
    case FLOW_EOF_VEOF: write(f->to, "\004", 1); break;
    default: break;
    }
}

/* The input ended (EOF, hangup, EIO of a pty master): flush nothing more, end the output. */
void flow_finish(struct flow *f) {
    if (!f->active) return;
    f->active = 0;
    f->len = f->off = 0;
    flow_end_output(f);
}

/* One step after poll; returns 0 once the flow is over. */
int flow_step(struct flow *f, short revents) {
    if (!f->active || !revents) return f->active;
    if (f->len == 0) {
        ssize_t n = read(f->from, f->buf, sizeof f->buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
        if (n <= 0) {
            f->eof = 1;
            flow_finish(f);
            return 0;
        }
        f->len = (size_t)n;
        f->off = 0;
    }
    while (f->off < f->len) {
        ssize_t n = write(f->to, f->buf + f->off, f->len - f->off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 1;
        if (n < 0) { /* the reader is gone (EPIPE, reset): nothing more can be delivered */
            f->active = 0;
            f->len = f->off = 0;
            return 0;
        }
        f->off += (size_t)n;
    }
    f->len = f->off = 0;
    return 1;
}

/* After the process ended: copy what is buffered in the input without waiting for more. */
void flow_drain(struct flow *f) {
    if (!f->active) return;
    set_nonblocking(f->from);
    for (;;) {
        if (f->len > f->off) {
            int fl = fcntl(f->to, F_GETFL);
            if (fl >= 0) fcntl(f->to, F_SETFL, fl & ~O_NONBLOCK);
            if (write_all(f->to, f->buf + f->off, f->len - f->off) < 0) break;
        }
        ssize_t n = read(f->from, f->buf, sizeof f->buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        f->len = (size_t)n;
        f->off = 0;
    }
    f->len = f->off = 0;
    f->active = 0;
    flow_end_output(f);
}
