/**
 * The static C shim ({@code capstan-shim}, sources in node-agent/src/main/c) and its Java launcher.
 *
 * <p>{@link io.capstan.node.shim.Shim} extracts the binary into {@code <data-dir>/bin} and starts it
 * in one of its modes, each described by a typed launch spec: a container
 * ({@link io.capstan.node.shim.ContainerLaunch}), a pod's namespace holder
 * ({@link io.capstan.node.shim.SandboxLaunch}) or a process inside a running container
 * ({@link io.capstan.node.shim.ExecLaunch}, waited for with {@code Shim.exec} or connected to the
 * caller with {@code Shim.execStream}); a fourth mode opens a TCP connection inside a pod's network
 * namespace ({@link io.capstan.node.shim.ConnectLaunch}, {@code Shim.connect}). A started
 * container or holder is a {@link io.capstan.node.shim.ShimProcess}: its state lives in files of a
 * state directory (pidfile, exit file, stdin and resize FIFOs), so a new agent process re-adopts it with
 * {@code ShimProcess.adopt(dir)} and can still attach to it.
 *
 * <p>No namespace syscall ever runs on a JVM thread (see the runtime spike): the JVM only spawns the
 * shim with {@link java.lang.ProcessBuilder}. This package knows nothing of images, graph drivers or
 * cgroup layouts; callers pass rootfs directories and cgroup.procs files.
 */
package io.capstan.node.shim;
