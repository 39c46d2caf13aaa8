package io.capstan.node.cri;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs pod sandboxes and their containers on this node.
 *
 * <p>A sandbox holds what the containers of one pod share: the network, IPC and UTS namespaces
 * (hostname = pod name) and the pod-level cgroup. Containers are created and started in one step
 * inside a sandbox; each gets its own copy-on-write root filesystem, container cgroup, mount and
 * PID namespaces, and a log file. Container state survives a restart of the agent: a new runtime
 * instance over the same state directory lists the containers that still run (re-adopted, not
 * restarted) and those that exited meanwhile with their real exit codes.
 *
 * <p>Every method is safe to call from several threads for different pods. Methods that name a
 * sandbox or container that does not exist are no-ops for removal and stop, and return empty for
 * queries.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Creates the sandbox of a pod if it does not exist yet; idempotent per pod uid. */
    SandboxStatus runSandbox(SandboxSpec spec) throws RuntimeFailure;

    /** Stops and removes a sandbox; its containers must already be removed. */
    void removeSandbox(String podUid) throws RuntimeFailure;

    /** The sandboxes this runtime knows, including those left by an earlier agent process. */
    List<SandboxStatus> listSandboxes();

    /**
     * Creates and starts a container in its pod's sandbox. Returns once the container's process has
     * been exec'd (or failed to). Failures carry a Kubernetes waiting reason, e.g.
     * {@code CreateContainerError} for a root filesystem or cgroup that cannot be prepared and
     * {@code RunContainerError} with the exec error for a command that does not exist.
     */
    ContainerStatus startContainer(ContainerSpec spec) throws RuntimeFailure;

    /**
     * Stops a container: SIGTERM to its process, then SIGKILL to the whole container once the grace
     * period has passed. Returns the exited status when every process of the container is gone,
     * or {@code null} for a container this runtime does not know.
     */
    ContainerStatus stopContainer(String containerId, Duration gracePeriod) throws RuntimeFailure;

    /**
     * Removes an exited container: its root filesystem, cgroup and state. Its log file stays until
     * the sandbox is removed (so {@code --previous} logs keep working).
     */
    void removeContainer(String containerId) throws RuntimeFailure;

    /** All containers this runtime knows, running or exited, including re-adopted ones. */
    List<ContainerStatus> listContainers();

    /** The current status of one container. */
    Optional<ContainerStatus> containerStatus(String containerId);

    /**
     * Runs a command inside a running container's namespaces and cgroup (preStop hooks, exec
     * probes) and waits for it, at most {@code timeout}; output is captured, truncated to 64 KiB.
     */
    ExecResult exec(String containerId, List<String> command, Duration timeout) throws RuntimeFailure;

    /**
     * Starts {@code command} inside a running container with its standard streams connected to the
     * returned session ({@code kubectl exec}). Fails with reason {@code ContainerNotFound} or
     * {@code ContainerNotRunning}, or {@code RunContainerError} when the command cannot be started.
     */
    ExecSession execStream(String containerId, List<String> command, ExecOptions options) throws RuntimeFailure;

    /**
     * Connects to the stdin and terminal of a running container started with {@code stdin} or
     * {@code tty} ({@code kubectl attach}). Fails with reason {@code ContainerNotFound},
     * {@code ContainerNotRunning} or {@code NoStdin} (started without stdin and tty).
     */
    ContainerInput attach(String containerId) throws RuntimeFailure;

    /**
     * Opens a TCP connection to {@code port} on localhost inside the network namespace of the pod
     * {@code podUid} ({@code kubectl port-forward}). Fails with reason {@code SandboxNotFound}, or
     * {@code PortForwardError} with the connect error (e.g. connection refused).
     */
    PodConnection portForward(String podUid, int port) throws RuntimeFailure;

    /** Calls {@code listener}, on a runtime thread, whenever a container exits. */
    void addExitListener(ExitListener listener);

    /** Stops calling a listener added before; unknown listeners are ignored. */
    void removeExitListener(ExitListener listener);

    /** Releases the runtime's threads; running containers keep running. */
    @Override
    void close();

    /** Receives container exits. */
    @FunctionalInterface
    interface ExitListener {
        void exited(ContainerStatus status);
    }
}
