/* Error reporting, atomic files, symlink-safe paths inside the rootfs, fds and signals. */
#include "shim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int shim_errfd = -1;

/* The child reports "step: strerror (errno N)" over the O_CLOEXEC pipe; the parent prints it. */
void child_failf(int err, const char *fmt, ...) {
    char step[1024], msg[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(step, sizeof step, fmt, ap);
    va_end(ap);
    int n = snprintf(msg, sizeof msg, "%s: %s (errno %d)", step, strerror(err), err);
    if (n > (int)sizeof msg - 1) n = sizeof msg - 1;
    if (shim_errfd >= 0) {
        write_all(shim_errfd, msg, (size_t)n);
    } else {
        dprintf(2, "capstan-shim: %s\n", msg);
    }
    _exit(SHIM_EXIT_SETUP);
}

void child_fail(const char *step, int err) { child_failf(err, "%s", step); }

/* A failure of the shim itself before any child ran: stderr, the exit file, exit 125. */
void parent_fail(const struct config *c, const char *step, int err) {
    char line[1400];
    snprintf(line, sizeof line, "%s: %s (errno %d)", step, strerror(err), err);
    setup_error(c, line);
}

void setup_error(const struct config *c, const char *message) {
    char line[1500], content[1700], now[64];
    snprintf(line, sizeof line, "capstan-shim: %s", message);
    dprintf(2, "%s\n", line);
    if (c && c->exit_file) {
        format_time(now, sizeof now);
        snprintf(content, sizeof content, "exit=%d signal=0 finished=%s\nerror=%s\n", SHIM_EXIT_SETUP,
                 now, line);
        write_file_atomic(c->exit_file, content);
    }
    exit(SHIM_EXIT_SETUP);
}

int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write to PATH.tmp, then rename: readers see the old file, no file, or the whole new one. */
int write_file_atomic(const char *path, const char *content) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    if (write_all(fd, content, strlen(content)) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        errno = e;
        return -1;
    }
    close(fd);
    return rename(tmp, path);
}

/* RFC 3339 in UTC with nanoseconds, always 9 digits: 2026-11-28T00:17:09.669794202Z. */
void format_time(char *buf, size_t len) {
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, len - n, ".%09ldZ", (long)ts.tv_nsec);
}

struct open_how_v0 {
    uint64_t flags, mode, resolve;
};
#define SHIM_RESOLVE_NO_MAGICLINKS 0x02
#define SHIM_RESOLVE_IN_ROOT 0x10

/*
 * Opens PATH as if ROOTFD were "/": symlinks in the image resolve inside the rootfs and magic
 * links (/proc/self/...) are refused, so an image cannot redirect a mount onto the host.
 */
int open_in_root(int rootfd, const char *path, int flags) {
    struct open_how_v0 how = {.flags = (uint64_t)(flags | O_CLOEXEC), .mode = 0,
                              .resolve = SHIM_RESOLVE_IN_ROOT | SHIM_RESOLVE_NO_MAGICLINKS};
    long fd;
    do {
        fd = syscall(SYS_openat2, rootfd, path, &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    return (int)fd;
}

/* Splits PATH into a parent fd (opened in root) and its last component. */
static int open_parent(int rootfd, const char *path, char *base, size_t baselen) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') dir[--n] = 0;
    char *slash = strrchr(dir, '/');
    if (!slash) {
        snprintf(base, baselen, "%s", dir);
        return open_in_root(rootfd, "/", O_PATH | O_DIRECTORY);
    }
    snprintf(base, baselen, "%s", slash + 1);
    if (slash == dir) slash[1] = 0; else *slash = 0;
    return open_in_root(rootfd, dir, O_PATH | O_DIRECTORY);
}

/* mkdir -p of PATH inside the rootfs; every component is resolved in root. */
int mkdir_in_root(int rootfd, const char *path, mode_t mode) {
    int fd = open_in_root(rootfd, path, O_PATH | O_DIRECTORY);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (errno != ENOENT) return -1;
    char parent[4096], base[1024];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = 0;
        if (mkdir_in_root(rootfd, parent, mode) < 0) return -1;
    }
    int pfd = open_parent(rootfd, path, base, sizeof base);
    if (pfd < 0) return -1;
    int rc = mkdirat(pfd, base, mode);
    int e = errno;
    close(pfd);
    if (rc < 0 && e != EEXIST) {
        errno = e;
        return -1;
    }
    return 0;
}

/* Creates an empty regular file at PATH (and its parents) unless something exists there. */
int touch_in_root(int rootfd, const char *path) {
    char parent[4096], base[1024];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = 0;
        if (mkdir_in_root(rootfd, parent, 0755) < 0) return -1;
    }
    int pfd = open_parent(rootfd, path, base, sizeof base);
    if (pfd < 0) return -1;
    int dfd = openat(pfd, ".", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    close(pfd);
    if (dfd < 0) return -1;
    int fd = openat(dfd, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    int e = errno;
    close(dfd);
    if (fd < 0 && e != EEXIST && e != EISDIR && e != ELOOP) {
        errno = e;
        return -1;
    }
    if (fd >= 0) close(fd);
    return 0;
}

/* "/proc/self/fd/N": a mount source or target that is exactly the object FD refers to. */
int fd_path(char *buf, size_t len, int fd) { return snprintf(buf, len, "/proc/self/fd/%d", fd); }

/* Closes every fd from 3 up except KEEP (close_range, or a /proc/self/fd walk without it). */
void close_fds_except(int keep) {
    int ok;
    if (keep >= 3) {
        ok = (keep == 3 || syscall(SYS_close_range, 3u, (unsigned)keep - 1, 0u) == 0) &&
             syscall(SYS_close_range, (unsigned)keep + 1, ~0u, 0u) == 0;
    } else {
        ok = syscall(SYS_close_range, 3u, ~0u, 0u) == 0;
    }
    if (ok) return;
    DIR *d = opendir("/proc/self/fd");
    if (!d) child_fail("close fds: open /proc/self/fd", errno);
    int self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        int fd = atoi(e->d_name);
        if (fd >= 3 && fd != keep && fd != self) close(fd);
    }
    closedir(d);
}

/* Default dispositions and an empty mask, as a freshly exec'd container expects. */
void reset_signals(void) {
    for (int s = 1; s < NSIG; s++) {
        if (s == SIGKILL || s == SIGSTOP) continue;
        signal(s, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

const int forwarded_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, 0};

/* Blocks the forwarded signals and SIGCHLD (read later through a signalfd or sigwaitinfo). */
void block_signals(sigset_t *set) {
    sigemptyset(set);
    for (int i = 0; forwarded_signals[i]; i++) sigaddset(set, forwarded_signals[i]);
    sigaddset(set, SIGCHLD);
    sigprocmask(SIG_BLOCK, set, NULL);
}

/* Brings lo up in the current (new) network namespace. */
void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) child_fail("socket for lo", errno);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) child_fail("get lo flags", errno);
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) child_fail("bring lo up", errno);
    close(s);
}
