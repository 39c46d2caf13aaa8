package io.capstan.node.cri;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A container as the runtime reports it.
 *
 * @param id the runtime's container id (unique on this node; stable across agent restarts)
 * @param podUid the pod it belongs to
 * @param name the container's name in the pod spec
 * @param attempt its restart count when it was started
 * @param image the reference it was started from
 * @param imageId the image id, {@code sha256:...}
 * @param state created, running or exited
 * @param pid the host pid of its init process while it runs, else 0
 * @param startedAt when its process was exec'd, or {@code null}
 * @param finishedAt when it exited, or {@code null}
 * @param exitCode its exit code once exited (128 + signal if killed), else {@code null}
 * @param reason once exited: {@code Completed} (code 0), {@code OOMKilled} (killed by the
 *     kernel's OOM killer in its cgroup) or {@code Error}; else {@code null}
 * @param message details for the user (e.g. the exec error), or {@code null}
 * @param logPath the file its stdout and stderr go to
 */
public record ContainerStatus(
        String id,
        String podUid,
        String name,
        int attempt,
        String image,
        String imageId,
        ContainerState state,
        long pid,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        String reason,
        String message,
        Path logPath) {

    /** The lifecycle states of a container. */
    public enum ContainerState {
        CREATED,
        RUNNING,
        EXITED
    }
}
