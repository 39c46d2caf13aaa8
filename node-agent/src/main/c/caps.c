/* Capability names and the set a container gets: Docker's default 14, then --cap-add/--cap-drop. */
#include "shim.h"

#include <stdio.h>
#include <sys/prctl.h>
#include <string.h>
#include <strings.h>

static const char *const cap_names[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"};
#define N_CAP_NAMES ((int)(sizeof cap_names / sizeof cap_names[0]))

/* moby daemon/pkg/oci/caps/defaults.go and containerd's defaultUnixCaps. */
static const char *const docker_default[] = {
    "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
    "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"};

/* Capability number of NAME (CAP_ prefix optional, any case), -1 if unknown. */
static int cap_number(const char *name) {
    if (strncasecmp(name, "CAP_", 4) == 0) name += 4;
    for (int i = 0; i < N_CAP_NAMES; i++) {
        if (strcasecmp(name, cap_names[i]) == 0) return i;
    }
    return -1;
}

static int is_all(const char *name) {
    if (strncasecmp(name, "CAP_", 4) == 0) name += 4;
    return strcasecmp(name, "ALL") == 0;
}

/*
 * Computes c->caps as containerd does for CRI: start from the default set (every capability when
 * privileged), add ALL, drop ALL, then add and drop the named ones, so "drop ALL, add X" is X.
 * "Every capability" means every one the shim itself may pass on (its bounding set), so a
 * privileged container works under an agent that runs with a reduced set.
 */
int caps_resolve(struct config *c, char *err, size_t errlen) {
    uint64_t all = 0;
    for (int cap = 0; cap <= c->cap_last; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) all |= 1ULL << cap;
    }
    uint64_t set = 0;
    for (size_t i = 0; i < sizeof docker_default / sizeof docker_default[0]; i++) {
        set |= 1ULL << cap_number(docker_default[i]);
    }
    if (c->privileged) set = all;
    for (int i = 0; i < c->n_cap_add; i++) {
        if (is_all(c->cap_add[i])) set = all;
    }
    for (int i = 0; i < c->n_cap_drop; i++) {
        if (is_all(c->cap_drop[i])) set = 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        const char **names = pass == 0 ? c->cap_add : c->cap_drop;
        int n = pass == 0 ? c->n_cap_add : c->n_cap_drop;
        for (int i = 0; i < n; i++) {
            if (is_all(names[i])) continue;
            int bit = cap_number(names[i]);
            if (bit < 0 || bit > c->cap_last) {
                snprintf(err, errlen, "unknown capability %s", names[i]);
                return -1;
            }
            if (pass == 0) set |= 1ULL << bit; else set &= ~(1ULL << bit);
        }
    }
    c->caps = set;
    return 0;
}
