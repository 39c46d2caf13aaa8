/*
 * Terminals: a pseudo-terminal pair for exec -t and tty containers, and the resize FIFO whose
 * lines "COLS ROWS" set the terminal's window size (TIOCSWINSZ on the master). For exec the
 * pair comes from the container's own devpts (its /dev/ptmx opened with openat2 RESOLVE_IN_ROOT
 * under /proc/<pid>/root, checked to be a ptmx device, the peer opened with TIOCGPTPEER), so
 * `tty` inside prints a /dev/pts/N the container can see; without one it is the host's
 * (posix_openpt). The shim keeps the master; the child gets the slave as controlling terminal.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static int open_peer(int master, int *slave) {
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) return -1;
    *slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    return *slave < 0 ? -1 : 0;
}

/* The host's devpts: posix_openpt. Returns the master, -1 with errno on failure. */
int open_host_pty(int *slave) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    if (open_peer(master, slave) < 0) {
        /* kernels before 4.13: open the slave by name (host side, no container path involved) */
        char name[64];
        if (ptsname_r(master, name, sizeof name) != 0) goto fail;
        *slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (*slave < 0) goto fail;
    }
    return master;
fail:
    close(master);
    return -1;
}

/* The container's devpts through its root; falls back to the host's when it has none. */
int open_container_pty(pid_t target, int *slave) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/root", (int)target);
    int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root >= 0) {
        int master = open_in_root(root, "/dev/ptmx", O_RDWR | O_NOCTTY);
        close(root);
        struct stat st;
        if (master >= 0 && fstat(master, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 &&
            minor(st.st_rdev) == 2 && open_peer(master, slave) == 0) {
            return master;
        }
        if (master >= 0) close(master);
    }
    return open_host_pty(slave);
}

/* Makes SLAVE the controlling terminal and stdin/stdout/stderr of the calling (child) process. */
void take_terminal(int slave) {
    if (setsid() < 0 && errno != EPERM) child_fail("setsid", errno);
    if (ioctl(slave, TIOCSCTTY, 0) < 0) child_fail("set controlling terminal", errno);
    for (int fd = 0; fd < 3; fd++) {
        if (dup2(slave, fd) < 0) child_fail("dup2 terminal", errno);
    }
    if (slave > 2) close(slave);
}

/* Creates (if missing) and opens the resize FIFO read-write: it never reports EOF. */
int open_resize_fifo(const char *path) {
    if (mkfifo(path, 0600) < 0 && errno != EEXIST) return -1;
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

/* Reads what the FIFO holds and applies every complete "COLS ROWS" line to the master. */
void apply_resizes(int fifo, int master) {
    static char buf[256];
    static size_t len;
    for (;;) {
        ssize_t n = read(fifo, buf + len, sizeof buf - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
        buf[len] = 0;
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n')) != NULL) {
            *nl = 0;
            unsigned cols, rows;
            if (sscanf(line, "%u %u", &cols, &rows) == 2 && cols < 65536 && rows < 65536) {
                struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
                ioctl(master, TIOCSWINSZ, &ws);
            }
            line = nl + 1;
        }
        len = strlen(line);
        memmove(buf, line, len);
        if (len == sizeof buf - 1) len = 0; /* a line too long to be a size: drop it */
    }
}
