/*
 * The container's CRI log file with rotation by size, as kubelet's containerLogMaxSize and
 * containerLogMaxFiles: when a write would take <attempt>.log past max bytes, the file becomes
 * <attempt>.log.1 (.1 becomes .2 and so on, the oldest beyond files-1 is deleted) and a new
 * <attempt>.log is opened. A line is never split across files. files <= 1 keeps no rotated file.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int reopen(struct logfile *l) {
    int fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) return -1;
    struct stat st;
    l->size = fstat(fd, &st) == 0 ? (long long)st.st_size : 0;
    if (l->fd >= 0) close(l->fd);
    l->fd = fd;
    return 0;
}

int logfile_open(struct logfile *l, const char *path, long long max, int files) {
    l->fd = -1;
    l->path = path;
    l->max = max;
    l->files = files;
    return reopen(l);
}

static void rotate(struct logfile *l) {
    char from[4200], to[4200];
    if (l->files <= 1) {
        unlink(l->path);
    } else {
        snprintf(to, sizeof to, "%s.%d", l->path, l->files - 1);
        unlink(to);
        for (int i = l->files - 2; i >= 1; i--) {
            snprintf(from, sizeof from, "%s.%d", l->path, i);
            snprintf(to, sizeof to, "%s.%d", l->path, i + 1);
            if (rename(from, to) < 0 && errno != ENOENT) break;
        }
        snprintf(to, sizeof to, "%s.1", l->path);
        if (rename(l->path, to) < 0) {
            dprintf(2, "capstan-shim: rotate %s: %s\n", l->path, strerror(errno));
            return;
        }
    }
    if (reopen(l) < 0) dprintf(2, "capstan-shim: reopen %s: %s\n", l->path, strerror(errno));
}

/* Appends one whole CRI line (or a few), rotating first when it would pass the limit. */
void logfile_write(struct logfile *l, const void *buf, size_t len) {
    if (l->max > 0 && l->size > 0 && l->size + (long long)len > l->max) rotate(l);
    if (write_all(l->fd, buf, len) == 0) l->size += (long long)len;
}
