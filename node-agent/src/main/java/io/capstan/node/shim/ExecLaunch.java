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
 */
public final class ExecLaunch {
    private final List<String> arguments;

    private ExecLaunch(Builder b) {
        List<String> args = new ArrayList<>();
        args.add("exec");
        ContainerLaunch.add(args, "--target", b.targetPid);
        b.cgroupProcs.forEach(p -> ContainerLaunch.add(args, "--cgroup-procs", p));
        args.addAll(b.privileges.arguments());
        b.env.forEach((k, v) -> ContainerLaunch.add(args, "--env", k + "=" + v));
        ContainerLaunch.add(args, "--cwd", b.cwd);
        args.add("--");
        args.addAll(b.command);
        this.arguments = List.copyOf(args);
    }

    /** A builder for running {@code command} in the container whose init has host pid {@code targetPid}. */
    public static Builder builder(long targetPid, List<String> command) {
        return new Builder(targetPid, command);
    }

    List<String> arguments() {
        return arguments;
    }

    /** Collects an exec's settings; every setter returns the builder. */
    public static final class Builder {
        private final long targetPid;
        private final List<String> command;
        private final List<Path> cgroupProcs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Privileges privileges = Privileges.defaults();
        private String cwd;

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

        /** The launch spec. */
        public ExecLaunch build() {
            return new ExecLaunch(this);
        }
    }
}
