/*
 * /sys/fs/cgroup inside the container, read-only (rw when privileged) and rooted at the
 * container's own cgroup by its cgroup namespace. It mirrors the host's layout, read from
 * /proc/self/mounts while the host's /proc is still visible: a cgroup2 mount at /sys/fs/cgroup
 * (unified hosts), or a tmpfs holding one mount per v1 hierarchy plus the unified one (hybrid).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Options of the host's mount minus per-mount flags and release_agent: the hierarchy's identity. */
static void hierarchy_options(const char *opts, char *out, size_t len) {
    static const char *const skip[] = {"rw", "ro", "nosuid", "nodev", "noexec", "relatime", "noatime",
                                       "nodiratime", "strictatime", "seclabel", NULL};
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", opts);
    out[0] = 0;
    for (char *save, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int drop = strncmp(tok, "release_agent", 13) == 0;
        for (int i = 0; skip[i] && !drop; i++) drop = strcmp(tok, skip[i]) == 0;
        if (drop) continue;
        size_t n = strlen(out);
        snprintf(out + n, len - n, "%s%s", n ? "," : "", tok);
    }
}

void setup_cgroupfs(int rootfd, int privileged) {
    FILE *f = fopen("/proc/self/mounts", "re");
    if (!f) child_fail("read /proc/self/mounts", errno);
    unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (privileged ? 0 : MS_RDONLY);
    char line[4096], opts[1024];
    int tmpfs_done = 0;
    while (fgets(line, sizeof line, f)) {
        char src[256], target[1024], type[64], mopts[1024];
        if (sscanf(line, "%255s %1023s %63s %1023s", src, target, type, mopts) != 4) continue;
        int v1 = strcmp(type, "cgroup") == 0, v2 = strcmp(type, "cgroup2") == 0;
        if (!v1 && !v2) continue;
        if (v2 && strcmp(target, CGROUP_ROOT) == 0) {
            mount_in_root(rootfd, CGROUP_ROOT, "cgroup2", "cgroup2", flags, NULL);
            break;
        }
        if (strncmp(target, CGROUP_ROOT "/", sizeof CGROUP_ROOT) != 0 || strchr(target + sizeof CGROUP_ROOT, '/')) {
            continue;
        }
        if (!tmpfs_done) {
            mount_in_root(rootfd, CGROUP_ROOT, "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=64k");
            tmpfs_done = 1;
        }
        hierarchy_options(mopts, opts, sizeof opts);
        mount_in_root(rootfd, target, v1 ? "cgroup" : "cgroup2", type, flags, v1 ? opts : NULL);
    }
    fclose(f);
    if (tmpfs_done && !privileged) {
        int fd = open_in_root(rootfd, CGROUP_ROOT, O_PATH | O_DIRECTORY);
        char path[64];
        fd_path(path, sizeof path, fd);
        if (fd < 0 || mount(NULL, path, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=64k") < 0) {
            child_fail("remount " CGROUP_ROOT " read-only", errno);
        }
        close(fd);
    }
}
