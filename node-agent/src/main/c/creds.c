/* The last steps before exec: user, groups, capabilities, no_new_privs; then the PATH lookup. */
#include "shim.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

struct cap_header {
    uint32_t version;
    int pid;
};
struct cap_data {
    uint32_t effective, permitted, inheritable;
};
#define CAP_VERSION_3 0x20080522

/*
 * Order as runc: drop the bounding set while still root with CAP_SETPCAP, clear ambient, keep the
 * permitted set across setuid, switch ids, then set effective = permitted = the container's set
 * with inheritable (and so ambient) empty. A non-root command therefore execs with no effective
 * capabilities, as in Docker and Kubernetes; a setuid-root binary regains at most the bounding set.
 */
void apply_credentials(const struct config *c) {
    for (int cap = 0; cap <= c->cap_last; cap++) {
        if (c->caps & (1ULL << cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
            child_failf(errno, "drop capability %d from the bounding set", cap);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
        child_fail("clear ambient capabilities", errno);
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) child_fail("keep capabilities", errno);
    if (setgroups((size_t)c->n_groups, c->groups) < 0) child_fail("setgroups", errno);
    gid_t gid = c->gid >= 0 ? (gid_t)c->gid : 0;
    uid_t uid = c->uid >= 0 ? (uid_t)c->uid : 0;
    if (setresgid(gid, gid, gid) < 0) child_failf(errno, "setgid %u", (unsigned)gid);
    if (setresuid(uid, uid, uid) < 0) child_failf(errno, "setuid %u", (unsigned)uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) child_fail("reset keep capabilities", errno);

    struct cap_header hdr = {CAP_VERSION_3, 0};
    struct cap_data data[2];
    memset(data, 0, sizeof data);
    data[0].effective = data[0].permitted = (uint32_t)c->caps;
    data[1].effective = data[1].permitted = (uint32_t)(c->caps >> 32);
    if (syscall(SYS_capset, &hdr, data) < 0) child_fail("capset", errno);
    if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        child_fail("set no_new_privs", errno);
    }
}

static const char *env_value(char *const *env, const char *name) {
    size_t n = strlen(name);
    for (; *env; env++) {
        if (strncmp(*env, name, n) == 0 && (*env)[n] == '=') return *env + n + 1;
    }
    return NULL;
}

/*
 * execve the command; a bare name is looked up in the container's PATH (from --env, not the
 * shim's own environment), like runc. Failure is reported as `exec "cmd": <strerror>`.
 */
void exec_command(const struct config *c) {
    const char *cmd = c->argv[0];
    if (strchr(cmd, '/')) {
        execve(cmd, c->argv, c->env);
        child_failf(errno, "exec \"%s\"", cmd);
    }
    const char *path = env_value(c->env, "PATH");
    if (!path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    int err = ENOENT;
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        char full[4096];
        if (len == 0) {
            snprintf(full, sizeof full, "%s", cmd);
        } else {
            snprintf(full, sizeof full, "%.*s/%s", (int)len, path, cmd);
        }
        execve(full, c->argv, c->env);
        if (errno != ENOENT && errno != ENOTDIR) err = errno;
        path += len;
        if (*path == ':') path++;
    }
    child_failf(err, "exec \"%s\"", cmd);
}
