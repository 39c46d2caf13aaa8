package io.capstan.node.shim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a pod's namespace holder with {@code capstan-shim sandbox}: a sleeping process with
 * new UTS (the pod's hostname), IPC and network namespaces (loopback up), or the given network
 * namespace, and optionally a pid namespace whose init it is (reaping every orphan, for pods with
 * shareProcessNamespace), in the given cgroups. Its pid, in the state directory's {@code pid}
 * file, is what containers pass to {@link ContainerLaunch.Builder#joinSandbox}. It ends on SIGTERM.
 *
 * @param stateDir where the holder's pid and exit files go
 * @param hostname the pod's hostname, or {@code null}
 * @param netns a network namespace to join instead of creating one, or {@code null}
 * @param pidNamespace whether the holder is PID 1 of a new pid namespace for the pod
 * @param sysctls the pod's sysctls, set in its network and IPC namespaces; only namespaced names
 *     ({@code net.*}, {@code kernel.shm*}, {@code kernel.msg*}, {@code kernel.sem},
 *     {@code fs.mqueue.*}) are accepted, others fail the start with exit 125
 * @param cgroupProcs the {@code cgroup.procs} files (one per hierarchy) the holder joins before it
 *     runs, as a container does: the pod's sandbox cgroup; empty to stay in the shim's
 */
public record SandboxLaunch(Path stateDir, String hostname, Path netns, boolean pidNamespace,
        Map<String, String> sysctls, List<Path> cgroupProcs) {

    public SandboxLaunch {
        Objects.requireNonNull(stateDir);
        sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        cgroupProcs = List.copyOf(cgroupProcs);
    }

    /** A holder that joins no cgroup. */
    public SandboxLaunch(Path stateDir, String hostname, Path netns, boolean pidNamespace, Map<String, String> sysctls) {
        this(stateDir, hostname, netns, pidNamespace, sysctls, List.of());
    }

    /** A holder without sysctls. */
    public SandboxLaunch(Path stateDir, String hostname, Path netns, boolean pidNamespace) {
        this(stateDir, hostname, netns, pidNamespace, Map.of());
    }

    List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add("sandbox");
        ContainerLaunch.add(args, "--hostname", hostname);
        ContainerLaunch.add(args, "--netns", netns);
        if (pidNamespace) {
            args.add("--new-pidns");
        }
        sysctls.forEach((k, v) -> ContainerLaunch.add(args, "--sysctl", k + "=" + v));
        cgroupProcs.forEach(p -> ContainerLaunch.add(args, "--cgroup-procs", p.toString()));
        ContainerLaunch.add(args, "--pidfile", ShimProcess.pidFile(stateDir));
        ContainerLaunch.add(args, "--exit-file", ShimProcess.exitFile(stateDir));
        return args;
    }
}
