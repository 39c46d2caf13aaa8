package io.capstan.node.agent.api;

import io.capstan.node.cri.ContainerStatus;
import java.nio.file.Path;

/**
 * A container of a pod this agent runs, as a request names it, resolved against the agent's own
 * knowledge (the pod from its watch, the containers from the runtime).
 *
 * @param namespace the pod's namespace
 * @param pod the pod's name
 * @param podUid the pod's uid
 * @param container the container's name (empty for pod-level requests such as port-forward)
 * @param current the newest attempt of the container in the runtime, or {@code null} if it never started
 * @param previous the newest attempt before {@code current}, or {@code null}
 * @param waitingReason why the container is not running yet (from the pod status), e.g.
 *     {@code ContainerCreating}
 */
public record Target(String namespace, String pod, String podUid, String container, ContainerStatus current,
        ContainerStatus previous, String waitingReason) {

    /** Whether the current attempt runs. */
    public boolean running() {
        return current != null && current.state() == ContainerStatus.ContainerState.RUNNING;
    }

    /** The runtime id of the current attempt, or {@code null}. */
    public String containerId() {
        return current == null ? null : current.id();
    }

    /** The directory of the container's log files ({@code <attempt>.log} and rotated ones), or {@code null}. */
    public Path logDir() {
        return current == null || current.logPath() == null ? null : current.logPath().getParent();
    }
}
