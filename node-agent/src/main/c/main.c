/* Command line: capstan-shim run|sandbox|exec|connect [options] [--] command [args...] */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: capstan-shim run --rootfs DIR [options] [--] command [args...]\n"
    "       capstan-shim sandbox [--hostname H] [--netns PATH] [--new-pidns] [--sysctl K=V...]\n"
    "                            [--cgroup-procs FILE...] --pidfile F\n"
    "       capstan-shim exec --target PID [--stream] [--tty] [--resize-fifo F] [options] [--] command [args...]\n"
    "       capstan-shim connect --netns PATH --port N\n"
    "options: --hostname H  --cgroup-procs FILE...  --netns|--ipcns|--utsns|--pidns PATH\n"
    "         --mount SRC:DST[:ro]...  --privileged  --readonly-rootfs  --no-new-privs  --init\n"
    "         --uid N  --gid N  --groups N,N  --cap-add CAP...  --cap-drop CAP...\n"
    "         --env K=V...  --cwd DIR  --sysctl K=V...  --pidfile F  --exit-file F  --log F\n"
    "         --log-max-bytes N  --log-max-files K  --stdin-fifo F  --stdin-once  --tty  --resize-fifo F\n";

/* The usage text, then the error as the last line (which is what the launcher reports). */
static _Noreturn void bad_usage(const char *what, const char *arg) {
    dprintf(2, "%scapstan-shim: %s%s%s\n", usage, what, arg ? " " : "", arg ? arg : "");
    exit(SHIM_EXIT_SETUP);
}

static long number(const char *opt, const char *s) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < 0) bad_usage(opt, s);
    return v;
}

static void parse_mount(struct bind_mount *m, char *spec) {
    char *colon = strchr(spec, ':');
    if (!colon || colon == spec) bad_usage("bad --mount", spec);
    *colon = 0;
    m->src = spec;
    m->dst = colon + 1;
    char *opt = strchr(m->dst, ':');
    if (opt) {
        *opt = 0;
        if (strcmp(opt + 1, "ro") == 0) m->read_only = 1;
        else if (strcmp(opt + 1, "rw") != 0) bad_usage("bad --mount option", opt + 1);
    }
    if (m->dst[0] != '/') bad_usage("--mount target must be absolute:", m->dst);
}

static void parse_groups(struct config *c, char *list, int cap) {
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        if (c->n_groups >= cap) bad_usage("too many groups", NULL);
        c->groups[c->n_groups++] = (gid_t)number("--groups", tok);
    }
}

static void parse(struct config *c, int argc, char **argv) {
    size_t n = (size_t)argc + 3;
    c->cgroup_procs = calloc(n, sizeof(char *));
    c->mounts = calloc(n, sizeof(struct bind_mount));
    c->groups = calloc(n + 64, sizeof(gid_t));
    c->cap_add = calloc(n, sizeof(char *));
    c->cap_drop = calloc(n, sizeof(char *));
    c->env = calloc(n, sizeof(char *));
    c->sysctls = calloc(n, sizeof(char *));
    c->uid = c->gid = -1;
    c->log_max_files = 5;
    c->mode = argv[1];
    int i = 2;
    for (; i < argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strncmp(a, "--", 2) != 0) break;
        if (!strcmp(a, "--privileged")) { c->privileged = 1; continue; }
        if (!strcmp(a, "--readonly-rootfs")) { c->readonly_rootfs = 1; continue; }
        if (!strcmp(a, "--no-new-privs")) { c->no_new_privs = 1; continue; }
        if (!strcmp(a, "--init")) { c->init = 1; continue; }
        if (!strcmp(a, "--new-pidns")) { c->new_pidns = 1; continue; }
        if (!strcmp(a, "--stream")) { c->stream = 1; continue; }
        if (!strcmp(a, "--tty")) { c->tty = 1; continue; }
        if (!strcmp(a, "--stdin-once")) { c->stdin_once = 1; continue; }
        if (i + 1 >= argc) bad_usage("missing value for", a);
        char *v = argv[++i];
        if (!strcmp(a, "--rootfs")) c->rootfs = v;
        else if (!strcmp(a, "--hostname")) c->hostname = v;
        else if (!strcmp(a, "--cgroup-procs")) c->cgroup_procs[c->n_cgroup_procs++] = v;
        else if (!strcmp(a, "--netns")) c->netns = v;
        else if (!strcmp(a, "--ipcns")) c->ipcns = v;
        else if (!strcmp(a, "--utsns")) c->utsns = v;
        else if (!strcmp(a, "--pidns")) c->pidns = v;
        else if (!strcmp(a, "--mount")) parse_mount(&c->mounts[c->n_mounts++], v);
        else if (!strcmp(a, "--uid")) c->uid = number(a, v);
        else if (!strcmp(a, "--gid")) c->gid = number(a, v);
        else if (!strcmp(a, "--groups")) parse_groups(c, v, (int)n + 64);
        else if (!strcmp(a, "--cap-add")) c->cap_add[c->n_cap_add++] = v;
        else if (!strcmp(a, "--cap-drop")) c->cap_drop[c->n_cap_drop++] = v;
        else if (!strcmp(a, "--env")) {
            if (!strchr(v, '=')) bad_usage("--env needs K=V:", v);
            c->env[c->n_env++] = v;
        } else if (!strcmp(a, "--sysctl")) c->sysctls[c->n_sysctls++] = v;
        else if (!strcmp(a, "--cwd")) c->cwd = v;
        else if (!strcmp(a, "--pidfile")) c->pidfile = v;
        else if (!strcmp(a, "--exit-file")) c->exit_file = v;
        else if (!strcmp(a, "--log")) c->log = v;
        else if (!strcmp(a, "--target")) c->target = (pid_t)number(a, v);
        else if (!strcmp(a, "--log-max-bytes")) c->log_max_bytes = number(a, v);
        else if (!strcmp(a, "--log-max-files")) c->log_max_files = (int)number(a, v);
        else if (!strcmp(a, "--resize-fifo")) c->resize_fifo = v;
        else if (!strcmp(a, "--stdin-fifo")) c->stdin_fifo = v;
        else if (!strcmp(a, "--port")) c->port = (int)number(a, v);
        else bad_usage("unknown option", a);
    }
    c->argv = argv + i;
}

/* Defaults a container expects when the agent did not pass them (as runc: PATH, HOME). */
static void default_env(struct config *c) {
    int has_path = 0, has_home = 0;
    for (int i = 0; i < c->n_env; i++) {
        if (!strncmp(c->env[i], "PATH=", 5)) has_path = 1;
        if (!strncmp(c->env[i], "HOME=", 5)) has_home = 1;
    }
    if (!has_path) c->env[c->n_env++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    if (!has_home) c->env[c->n_env++] = c->uid > 0 ? "HOME=/" : "HOME=/root";
    c->env[c->n_env] = NULL;
}

static int read_cap_last(void) {
    int last = 40;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
    if (f) {
        if (fscanf(f, "%d", &last) != 1) last = 40;
        fclose(f);
    }
    return last > 63 ? 63 : last;
}

/* Host paths are made absolute before detach() changes the cwd. */
static const char *absolute(const char *path) {
    if (!path || path[0] == '/') return path;
    static char cwd[4096];
    if (!cwd[0] && !getcwd(cwd, sizeof cwd)) bad_usage("getcwd failed; pass absolute paths", NULL);
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *abs = malloc(n);
    snprintf(abs, n, "%s/%s", cwd, path);
    return abs;
}

static void absolute_paths(struct config *c) {
    c->rootfs = absolute(c->rootfs);
    c->pidfile = absolute(c->pidfile);
    c->exit_file = absolute(c->exit_file);
    c->log = absolute(c->log);
    c->resize_fifo = absolute(c->resize_fifo);
    c->stdin_fifo = absolute(c->stdin_fifo);
    c->netns = absolute(c->netns);
    c->ipcns = absolute(c->ipcns);
    c->utsns = absolute(c->utsns);
    c->pidns = absolute(c->pidns);
    for (int i = 0; i < c->n_cgroup_procs; i++) c->cgroup_procs[i] = absolute(c->cgroup_procs[i]);
    for (int i = 0; i < c->n_mounts; i++) c->mounts[i].src = absolute(c->mounts[i].src);
}

/* The shim outlives the agent: own session, stdin from /dev/null, cwd "/" (pins no mount). */
static void detach(void) {
    setsid();
    if (chdir("/") < 0) bad_usage("chdir /", NULL);
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        dup2(fd, 0);
        close(fd);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) bad_usage("missing mode", NULL);
    if (!strcmp(argv[1], "net")) return net_main(argc - 2, argv + 2); /* netsetup.c, own options */
    /* exec joins a container: first leave the on-disk binary for a sealed copy (CVE-2019-5736) */
    if (!strcmp(argv[1], "exec")) reexec_sealed(argv);
    if (!strcmp(argv[1], "connect")) {
        struct config cc;
        memset(&cc, 0, sizeof cc);
        parse(&cc, argc, argv);
        if (!cc.netns || cc.port <= 0 || cc.port > 65535) bad_usage("connect needs --netns and --port 1-65535", NULL);
        return connect_main(&cc);
    }
    struct config c;
    memset(&c, 0, sizeof c);
    parse(&c, argc, argv);
    c.cap_last = read_cap_last();
    char err[256];
    default_env(&c);
    absolute_paths(&c);
    if (caps_resolve(&c, err, sizeof err) < 0) setup_error(&c, err);
    for (int i = 0; i < c.n_sysctls; i++) {
        if (sysctl_check(c.sysctls[i], err, sizeof err) < 0) setup_error(&c, err);
    }
    if (!strcmp(c.mode, "run")) {
        if (!c.rootfs || !c.argv[0]) bad_usage("run needs --rootfs and a command", NULL);
        detach();
        return run_main(&c);
    }
    if (!strcmp(c.mode, "sandbox")) {
        detach();
        return sandbox_main(&c);
    }
    if (!strcmp(c.mode, "exec")) {
        if (c.target <= 0 || !c.argv[0]) bad_usage("exec needs --target and a command", NULL);
        return exec_main(&c);
    }
    bad_usage("unknown mode", c.mode);
}
