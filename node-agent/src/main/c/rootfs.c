/*
 * The container's filesystem, built in its new mount namespace: / made private, the rootfs bound
 * onto itself, /proc, /sys, /dev (+ pts, shm, mqueue), bind mounts, masked and read-only paths,
 * an optional read-only root, then pivot_root. Every target inside the rootfs is opened with
 * openat2(RESOLVE_IN_ROOT) and mounted through /proc/self/fd/N, so image symlinks cannot point a
 * mount at the host.
 */
#include "shim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Docker's masked paths (moby daemon/pkg/oci/defaults.go); thermal_throttle dirs come extra. */
static const char *const masked_paths[] = {
    "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
    "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
    "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware", NULL};
static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};

struct device {
    const char *name;
    unsigned major, minor;
};
static const struct device devices[] = {
    {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9},
    {"tty", 5, 0}, {NULL, 0, 0}};

/* mount(2) onto the object at PATH inside the rootfs (created as a directory if missing). */
void mount_in_root(int rootfd, const char *path, const char *src, const char *fstype,
                     unsigned long flags, const char *data) {
    if (mkdir_in_root(rootfd, path, 0755) < 0) child_failf(errno, "mkdir %s", path);
    int fd = open_in_root(rootfd, path, O_PATH | O_DIRECTORY);
    if (fd < 0) child_failf(errno, "open %s", path);
    char target[64];
    fd_path(target, sizeof target, fd);
    if (mount(src, target, fstype, flags, data) < 0) child_failf(errno, "mount %s on %s", fstype, path);
    close(fd);
}

/* Re-opens PATH (now the top mount) and remounts that bind read-only. */
static int remount_readonly(int rootfd, const char *path, unsigned long extra) {
    int fd = open_in_root(rootfd, path, O_PATH);
    if (fd < 0) return -1;
    char target[64];
    fd_path(target, sizeof target, fd);
    int rc = mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | extra, NULL);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static void setup_dev(int rootfd) {
    mount_in_root(rootfd, "/dev", "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
    int dev = open_in_root(rootfd, "/dev", O_DIRECTORY | O_RDONLY);
    if (dev < 0) child_fail("open /dev", errno);
    for (const struct device *d = devices; d->name; d++) {
        if (mknodat(dev, d->name, S_IFCHR | 0666, makedev(d->major, d->minor)) < 0) {
            child_failf(errno, "mknod /dev/%s", d->name);
        }
        if (fchmodat(dev, d->name, 0666, 0) < 0) child_failf(errno, "chmod /dev/%s", d->name);
    }
    static const char *const links[][2] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                                           {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
                                           {"pts/ptmx", "ptmx"}};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (symlinkat(links[i][0], dev, links[i][1]) < 0) child_failf(errno, "symlink /dev/%s", links[i][1]);
    }
    close(dev);
    mount_in_root(rootfd, "/dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
             "newinstance,ptmxmode=0666,mode=0620,gid=5");
    mount_in_root(rootfd, "/dev/shm", "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
    mount_in_root(rootfd, "/dev/mqueue", "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

static void bind_mounts(const struct config *c, int rootfd) {
    for (int i = 0; i < c->n_mounts; i++) {
        const struct bind_mount *m = &c->mounts[i];
        int src = open(m->src, O_PATH | O_CLOEXEC);
        if (src < 0) child_failf(errno, "open mount source %s", m->src);
        struct stat st;
        if (fstat(src, &st) < 0) child_failf(errno, "stat mount source %s", m->src);
        int rc = S_ISDIR(st.st_mode) ? mkdir_in_root(rootfd, m->dst, 0755) : touch_in_root(rootfd, m->dst);
        if (rc < 0) child_failf(errno, "create mount target %s", m->dst);
        int dst = open_in_root(rootfd, m->dst, O_PATH);
        if (dst < 0) child_failf(errno, "open mount target %s", m->dst);
        char from[64], to[64];
        fd_path(from, sizeof from, src);
        fd_path(to, sizeof to, dst);
        if (mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0) child_failf(errno, "bind %s on %s", m->src, m->dst);
        close(src);
        close(dst);
        if (m->read_only && remount_readonly(rootfd, m->dst, MS_REC) < 0) {
            child_failf(errno, "remount %s read-only", m->dst);
        }
    }
}

/* Files get the runtime's own /dev/null bound over them, directories an empty read-only tmpfs. */
static void mask_path(int rootfd, int devnull, const char *path) {
    int fd = open_in_root(rootfd, path, O_PATH | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return;
        child_failf(errno, "open masked path %s", path);
    }
    struct stat st;
    if (fstat(fd, &st) < 0) child_failf(errno, "stat masked path %s", path);
    char target[64], src[64];
    fd_path(target, sizeof target, fd);
    int rc;
    if (S_ISDIR(st.st_mode)) {
        rc = mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0");
    } else {
        fd_path(src, sizeof src, devnull);
        rc = mount(src, target, NULL, MS_BIND, NULL);
    }
    if (rc < 0) child_failf(errno, "mask %s", path);
    close(fd);
}

static void mask_thermal_throttle(int rootfd, int devnull) {
    int fd = open_in_root(rootfd, "/sys/devices/system/cpu", O_DIRECTORY | O_RDONLY);
    if (fd < 0) return;
    DIR *d = fdopendir(fd);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "cpu", 3) != 0 || e->d_name[3] < '0' || e->d_name[3] > '9') continue;
        char path[512];
        snprintf(path, sizeof path, "/sys/devices/system/cpu/%s/thermal_throttle", e->d_name);
        mask_path(rootfd, devnull, path);
    }
    closedir(d);
}

static void readonly_path(int rootfd, const char *path) {
    int fd = open_in_root(rootfd, path, O_PATH | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return;
        child_failf(errno, "open read-only path %s", path);
    }
    char target[64];
    fd_path(target, sizeof target, fd);
    if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) < 0) child_failf(errno, "bind %s", path);
    close(fd);
    if (remount_readonly(rootfd, path, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_REC) < 0) {
        child_failf(errno, "remount %s read-only", path);
    }
}

/* Everything between unshare(CLONE_NEWNS) and pivot_root; leaves the cwd at the new root. */
void setup_rootfs(const struct config *c) {
    int devnull = open("/dev/null", O_PATH | O_CLOEXEC);
    struct stat st;
    if (devnull < 0 || fstat(devnull, &st) < 0) child_fail("open host /dev/null", errno);
    if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) child_fail("host /dev/null is not 1:3", EINVAL);

    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) child_fail("make / rprivate", errno);
    if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) child_failf(errno, "bind rootfs %s", c->rootfs);
    int rootfd = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) child_failf(errno, "open rootfs %s", c->rootfs);

    mount_in_root(rootfd, "/proc", "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL);
    mount_in_root(rootfd, "/sys", "sysfs", "sysfs",
             MS_NOSUID | MS_NOEXEC | MS_NODEV | (c->privileged ? 0 : MS_RDONLY), NULL);
    apply_sysctls(c, rootfd);
    setup_cgroupfs(rootfd, c->privileged);
    setup_dev(rootfd);
    bind_mounts(c, rootfd);
    if (!c->privileged) {
        for (int i = 0; masked_paths[i]; i++) mask_path(rootfd, devnull, masked_paths[i]);
        mask_thermal_throttle(rootfd, devnull);
        for (int i = 0; readonly_paths[i]; i++) readonly_path(rootfd, readonly_paths[i]);
    }
    if (c->cwd && mkdir_in_root(rootfd, c->cwd, 0755) < 0) child_failf(errno, "create cwd %s", c->cwd);
    if (c->readonly_rootfs) {
        char target[64];
        int top = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        fd_path(target, sizeof target, top);
        if (top < 0 || mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) {
            child_fail("remount rootfs read-only", errno);
        }
        close(top);
    }
    close(devnull);
    if (fchdir(rootfd) < 0) child_fail("chdir rootfs", errno);
    close(rootfd);
    if (syscall(SYS_pivot_root, ".", ".") < 0) child_fail("pivot_root", errno);
    if (umount2(".", MNT_DETACH) < 0) child_fail("detach old root", errno);
    if (chdir("/") < 0) child_fail("chdir /", errno);
}
