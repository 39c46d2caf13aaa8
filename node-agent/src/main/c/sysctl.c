/*
 * Namespaced sysctls (--sysctl NAME=VALUE), written into /proc/sys by a process that is already in
 * the new network and IPC namespaces: the sandbox holder through the host's /proc, a container
 * through its own /proc before /proc/sys becomes read-only. Only names the kernel scopes to those
 * namespaces are accepted (as Kubernetes: net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*),
 * so no value can reach the host's kernel settings.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int namespaced(const char *name) {
    static const char *const prefixes[] = {"net.", "kernel.shm", "kernel.msg", "fs.mqueue.", NULL};
    if (strcmp(name, "kernel.sem") == 0) return 1;
    for (int i = 0; prefixes[i]; i++) {
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0) return 1;
    }
    return 0;
}

/* Checks a NAME=VALUE spec; returns 0 or -1 with a message in err. */
int sysctl_check(const char *spec, char *err, size_t errlen) {
    const char *eq = strchr(spec, '=');
    size_t n = eq ? (size_t)(eq - spec) : 0;
    char name[256];
    if (!eq || n == 0 || n >= sizeof name) {
        snprintf(err, errlen, "bad sysctl %s (want NAME=VALUE)", spec);
        return -1;
    }
    memcpy(name, spec, n);
    name[n] = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '-' || (ch == '.' && i > 0 && name[i - 1] != '.');
        if (!ok) {
            snprintf(err, errlen, "bad sysctl name %s", name);
            return -1;
        }
    }
    if (!namespaced(name)) {
        snprintf(err, errlen, "sysctl %s is not namespaced", name);
        return -1;
    }
    return 0;
}

/* Writes every --sysctl; ROOTFD < 0 means the current root ("/proc/sys/..." of the caller). */
void apply_sysctls(const struct config *c, int rootfd) {
    for (int i = 0; i < c->n_sysctls; i++) {
        const char *spec = c->sysctls[i];
        const char *eq = strchr(spec, '=');
        char path[512];
        int n = snprintf(path, sizeof path, "/proc/sys/%.*s", (int)(eq - spec), spec);
        for (int j = (int)strlen("/proc/sys/"); j < n; j++) {
            if (path[j] == '.') path[j] = '/';
        }
        int fd = rootfd >= 0 ? open_in_root(rootfd, path, O_WRONLY | O_NOFOLLOW)
                             : open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) child_failf(errno, "open sysctl %.*s", (int)(eq - spec), spec);
        if (write_all(fd, eq + 1, strlen(eq + 1)) < 0) child_failf(errno, "set sysctl %s", spec);
        close(fd);
    }
}
