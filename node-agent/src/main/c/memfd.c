/*
 * CVE-2019-5736 defence for the exec mode: before the shim touches a container it re-executes
 * itself from a sealed in-memory copy of its binary, so a process in the container that gets hold
 * of /proc/<shim>/exe can only reach that copy, which nobody can write (F_SEAL_WRITE, SHRINK,
 * GROW and SEAL), never the capstan-shim file on the host. A shim already running from a sealed
 * copy (F_GET_SEALS on /proc/self/exe) goes on, so the re-exec happens once.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

/* 1 if the running binary is a sealed memfd, 0 if not. */
int running_sealed(void) {
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    int seals = fcntl(fd, F_GET_SEALS);
    close(fd);
    return seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS;
}

void reexec_sealed(char **argv) {
    if (running_sealed()) return;
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (src < 0) parent_fail(NULL, "open /proc/self/exe", errno);
    struct stat st;
    if (fstat(src, &st) < 0) parent_fail(NULL, "stat /proc/self/exe", errno);
    int mfd = memfd_create("capstan-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0) parent_fail(NULL, "memfd_create", errno);
    off_t left = st.st_size;
    while (left > 0) {
        ssize_t n = sendfile(mfd, src, NULL, (size_t)left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) parent_fail(NULL, "copy /proc/self/exe", n < 0 ? errno : EIO);
        left -= n;
    }
    close(src);
    if (fchmod(mfd, 0555) < 0) parent_fail(NULL, "chmod the sealed copy", errno);
    if (fcntl(mfd, F_ADD_SEALS, REQUIRED_SEALS) < 0) parent_fail(NULL, "seal the copy", errno);
    fexecve(mfd, argv, environ);
    parent_fail(NULL, "fexecve the sealed copy", errno);
}
