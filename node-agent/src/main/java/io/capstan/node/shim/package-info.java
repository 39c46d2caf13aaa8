/**
 * The static C shim ({@code capstan-shim}, sources in node-agent/src/main/c) and its Java launcher.
 *
 * <p>{@link io.capstan.node.shim.Shim} extracts the binary into {@code <data-dir>/bin} and starts it
 * in one of three modes, each described by a typed launch spec: a container
 * ({@link io.capstan.node.shim.ContainerLaunch}), a pod's namespace holder
 * ({@link io.capstan.node.shim.SandboxLaunch}) or a process inside a running container
 * ({@link io.capstan.node.shim.ExecLaunch}). A started container or holder is a
 * {@link io.capstan.node.shim.ShimProcess}: its state lives in files of a state directory (pidfile,
 * exit file), so a new agent process re-adopts it with {@code ShimProcess.adopt(dir)}.
 *
 * <p>No namespace syscall ever runs on a JVM thread (see the runtime spike): the JVM only spawns the
 * shim with {@link java.lang.ProcessBuilder}. This package knows nothing of images, graph drivers or
 * cgroup layouts; callers pass rootfs directories and cgroup.procs files.
 */
package io.capstan.node.shim;
