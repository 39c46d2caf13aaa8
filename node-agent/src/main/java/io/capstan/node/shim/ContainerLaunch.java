package io.capstan.node.shim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one container with {@code capstan-shim run}. The command runs as PID 1 of a new pid
 * namespace (or of the pod's, see {@link Builder#joinSandbox}), in new mount and cgroup namespaces,
 * after joining the given cgroups, with new UTS/IPC/NET namespaces unless it joins a sandbox's.
 * The environment is exactly {@link Builder#env} (plus PATH and HOME defaults): nothing is inherited
 * from the agent.
 *
 * <p>The state directory receives {@code pid} (the container's host pid, written once the command
 * was exec'd), {@code exit} (the exit status, written when it ended) and the shim's own files; the
 * log file receives the container's stdout and stderr in CRI format, rotated by size when asked
 * ({@link Builder#logRotation}). A container with {@link Builder#stdin} reads its stdin from the FIFO
 * {@code stdin} in the state directory, which the shim keeps open (see {@link ShimProcess#attach});
 * one with {@link Builder#tty} runs on a terminal whose output goes into the log as stdout and
 * whose size follows the FIFO {@code resize}.
 */
public final class ContainerLaunch {
    private final List<String> arguments;
    private final Path stateDir;

    private ContainerLaunch(Builder b) {
        this.stateDir = b.stateDir;
        List<String> args = new ArrayList<>();
        args.add("run");
        add(args, "--rootfs", b.rootfs.toString());
        add(args, "--hostname", b.hostname);
        b.cgroupProcs.forEach(p -> add(args, "--cgroup-procs", p.toString()));
        add(args, "--netns", b.netns);
        add(args, "--ipcns", b.ipcns);
        add(args, "--utsns", b.utsns);
        add(args, "--pidns", b.pidns);
        for (Mount m : b.mounts) {
            add(args, "--mount", m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : ""));
        }
        args.addAll(b.privileges.arguments());
        if (b.readOnlyRootfs) {
            args.add("--readonly-rootfs");
        }
        if (b.init) {
            args.add("--init");
        }
        b.env.forEach((k, v) -> add(args, "--env", k + "=" + v));
        b.sysctls.forEach((k, v) -> add(args, "--sysctl", k + "=" + v));
        add(args, "--cwd", b.cwd);
        add(args, "--pidfile", ShimProcess.pidFile(stateDir).toString());
        add(args, "--exit-file", ShimProcess.exitFile(stateDir).toString());
        add(args, "--log", b.log == null ? null : b.log.toString());
        if (b.log != null && b.logMaxBytes > 0) {
            add(args, "--log-max-bytes", b.logMaxBytes);
            add(args, "--log-max-files", b.logMaxFiles);
        }
        if (b.stdin) {
            add(args, "--stdin-fifo", ShimProcess.stdinFifo(stateDir));
            if (b.stdinOnce) {
                args.add("--stdin-once");
            }
        }
        if (b.tty) {
            args.add("--tty");
            add(args, "--resize-fifo", ShimProcess.resizeFifo(stateDir));
        }
        args.add("--");
        args.addAll(b.command);
        this.arguments = List.copyOf(args);
    }

    static void add(List<String> args, String option, Object value) {
        if (value != null) {
            args.add(option);
            args.add(value.toString());
        }
    }

    /** A builder for a container with this root filesystem, state directory and command. */
    public static Builder builder(Path rootfs, Path stateDir, List<String> command) {
        return new Builder(rootfs, stateDir, command);
    }

    List<String> arguments() {
        return arguments;
    }

    Path stateDir() {
        return stateDir;
    }

    /** A host path bound into the container at {@code target}. */
    public record Mount(Path source, String target, boolean readOnly) {
        public Mount {
            if (!target.startsWith("/") || target.contains(":") || source.toString().contains(":")) {
                throw new IllegalArgumentException("bad mount " + source + " -> " + target);
            }
        }
    }

    /** Collects a container's settings; every setter returns the builder. */
    public static final class Builder {
        private final Path rootfs;
        private final Path stateDir;
        private final List<String> command;
        private final List<Path> cgroupProcs = new ArrayList<>();
        private final List<Mount> mounts = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> sysctls = new LinkedHashMap<>();
        private String hostname;
        private Path netns;
        private Path ipcns;
        private Path utsns;
        private Path pidns;
        private Privileges privileges = Privileges.defaults();
        private boolean readOnlyRootfs;
        private boolean init;
        private String cwd;
        private Path log;
        private long logMaxBytes;
        private int logMaxFiles = 5;
        private boolean stdin;
        private boolean stdinOnce;
        private boolean tty;

        private Builder(Path rootfs, Path stateDir, List<String> command) {
            this.rootfs = Objects.requireNonNull(rootfs);
            this.stateDir = Objects.requireNonNull(stateDir);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("a container needs a command");
            }
            this.command = List.copyOf(command);
        }

        /** The UTS hostname; ignored when the container joins a sandbox's UTS namespace. */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** A cgroup.procs file the container joins before anything of it runs (one per hierarchy). */
        public Builder cgroupProcs(Path procsFile) {
            cgroupProcs.add(procsFile);
            return this;
        }

        /** Joins the net, IPC and UTS namespaces of a sandbox holder, and its pid namespace if asked. */
        public Builder joinSandbox(long holderPid, boolean sharePidNamespace) {
            Path ns = Path.of("/proc", Long.toString(holderPid), "ns");
            netns = ns.resolve("net");
            ipcns = ns.resolve("ipc");
            utsns = ns.resolve("uts");
            pidns = sharePidNamespace ? ns.resolve("pid") : null;
            return this;
        }

        /** Joins this network namespace (e.g. a CNI-prepared one) instead of a new one. */
        public Builder netns(Path path) {
            this.netns = path;
            return this;
        }

        /** Joins this IPC namespace instead of a new one. */
        public Builder ipcns(Path path) {
            this.ipcns = path;
            return this;
        }

        /** Joins this UTS namespace instead of a new one (the hostname is then not set). */
        public Builder utsns(Path path) {
            this.utsns = path;
            return this;
        }

        /** Joins this pid namespace; the command is then not PID 1. */
        public Builder pidns(Path path) {
            this.pidns = path;
            return this;
        }

        /** Binds a host file or directory at {@code target} (created in the rootfs if missing). */
        public Builder mount(Path source, String target, boolean readOnly) {
            mounts.add(new Mount(source, target, readOnly));
            return this;
        }

        /** Identity and capabilities; default root with Docker's capabilities. */
        public Builder privileges(Privileges privileges) {
            this.privileges = Objects.requireNonNull(privileges);
            return this;
        }

        /** Mounts the root filesystem read-only (volumes and /dev, /proc keep their own mode). */
        public Builder readOnlyRootfs(boolean readOnly) {
            this.readOnlyRootfs = readOnly;
            return this;
        }

        /** Runs a tiny init as PID 1 that reaps zombies and forwards signals to the command (PID 2). */
        public Builder init(boolean init) {
            this.init = init;
            return this;
        }

        /** One environment variable; a later value for the same name replaces the earlier one. */
        public Builder env(String name, String value) {
            if (name.isEmpty() || name.contains("=")) {
                throw new IllegalArgumentException("bad environment variable name " + name);
            }
            env.put(name, value);
            return this;
        }

        /**
         * A namespaced sysctl for a container with its own network/IPC namespaces (pod sysctls
         * belong on the {@link SandboxLaunch} the containers join).
         */
        public Builder sysctl(String name, String value) {
            sysctls.put(name, value);
            return this;
        }

        /** The working directory inside the container (created if missing); default "/". */
        public Builder cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        /** The CRI-format log file for stdout and stderr; without one they go to the shim's output. */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /**
         * Rotates the log before a write would take it past {@code maxBytes}: {@code N.log} becomes
         * {@code N.log.1} (older ones shift up, at most {@code maxFiles - 1} are kept). 0: never.
         */
        public Builder logRotation(long maxBytes, int maxFiles) {
            if (maxBytes < 0 || maxFiles < 1) {
                throw new IllegalArgumentException("bad log rotation " + maxBytes + " bytes, " + maxFiles + " files");
            }
            this.logMaxBytes = maxBytes;
            this.logMaxFiles = maxFiles;
            return this;
        }

        /**
         * Gives the container a stdin that attachers write to; it never sees EOF, except with
         * {@code once} (Kubernetes' stdinOnce): then the first attacher's close is its EOF.
         */
        public Builder stdin(boolean stdin, boolean once) {
            this.stdin = stdin;
            this.stdinOnce = stdin && once;
            return this;
        }

        /** Runs the container on a pseudo-terminal (stdout and stderr merged into the log as stdout). */
        public Builder tty(boolean tty) {
            this.tty = tty;
            return this;
        }

        /** The launch spec; the builder may be reused. */
        public ContainerLaunch build() {
            return new ContainerLaunch(this);
        }
    }
}
