package io.capstan.node.shim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a command inside a running container with {@code capstan-shim exec}: it joins the
 * cgroups given, then the mount, UTS, IPC, network, pid and cgroup namespaces of the container's
 * init ({@code targetPid}), takes the given privileges and execs. Pass the container's own
 * privileges and environment so the command sees what the container sees.
 *
 * <p>The shim first re-executes itself from a sealed memfd copy of its binary and makes itself
 * non-dumpable, so a process in the container can neither open nor overwrite the capstan-shim
 * file through {@code /proc/<shim>/exe} (CVE-2019-5736).
 */
public final class ExecLaunch {
    private final List<String> arguments;
    private final Path resizeFifo;
    private final boolean tty;

    private ExecLaunch(Builder b) {
        List<String> args = new ArrayList<>();
        args.add("exec");
        ContainerLaunch.add(args, "--target", b.targetPid);
        b.cgroupProcs.forEach(p -> ContainerLaunch.add(args, "--cgroup-procs", p));
        args.addAll(b.privileges.arguments());
        b.env.forEach((k, v) -> ContainerLaunch.add(args, "--env", k + "=" + v));
        ContainerLaunch.add(args, "--cwd", b.cwd);
        if (b.stream) {
            args.add("--stream");
        }
        if (b.tty) {
            args.add("--tty");
        }
        ContainerLaunch.add(args, "--resize-fifo", b.resizeFifo);
        args.add("--");
        args.addAll(b.command);
        this.arguments = List.copyOf(args);
        this.resizeFifo = b.resizeFifo;
        this.tty = b.tty;
    }

    /** A builder for running {@code command} in the container whose init has host pid {@code targetPid}. */
    public static Builder builder(long targetPid, List<String> command) {
        return new Builder(targetPid, command);
    }

    List<String> arguments() {
        return arguments;
    }

    Path resizeFifo() {
        return resizeFifo;
    }

    boolean tty() {
        return tty;
    }

    /** Collects an exec's settings; every setter returns the builder. */
    public static final class Builder {
        private final long targetPid;
        private final List<String> command;
        private final List<Path> cgroupProcs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Privileges privileges = Privileges.defaults();
        private String cwd;
        private boolean stream;
        private boolean tty;
        private Path resizeFifo;

        private Builder(long targetPid, List<String> command) {
            if (targetPid <= 0 || command.isEmpty()) {
                throw new IllegalArgumentException("exec needs a target pid and a command");
            }
            this.targetPid = targetPid;
            this.command = List.copyOf(command);
        }

        /** A cgroup.procs file the command joins first (the container's, one per hierarchy). */
        public Builder cgroupProcs(Path procsFile) {
            cgroupProcs.add(procsFile);
            return this;
        }

        /** Identity and capabilities; pass the container's own. */
        public Builder privileges(Privileges privileges) {
            this.privileges = Objects.requireNonNull(privileges);
            return this;
        }

        /** One environment variable (nothing else is inherited). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** The working directory inside the container; default "/". */
        public Builder cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        /**
         * Streams the command's stdio through the shim ({@link Shim#execStream}); with {@code tty}
         * on a terminal of the container whose size follows lines "COLS ROWS" written to
         * {@code resizeFifo} (created by the shim; the caller deletes it).
         */
        public Builder stream(boolean tty, Path resizeFifo) {
            this.stream = true;
            this.tty = tty;
            this.resizeFifo = tty ? resizeFifo : null;
            return this;
        }

        /** The launch spec. */
        public ExecLaunch build() {
            return new ExecLaunch(this);
        }
    }
}
