package io.capstan.node.runtime;

import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.shim.Privileges;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What the runtime keeps about one container in {@code runtime/containers/<id>/container.json}:
 * how it was made (so an exec runs as the container does, and a restarted agent can report it) and,
 * once it exited, how it ended (the OOM verdict is decided before its cgroup goes away).
 *
 * @param id the container id (64 hex digits)
 * @param podUid the pod it belongs to
 * @param name its name in the pod spec
 * @param attempt its restart count
 * @param image the reference it was started from
 * @param imageId the image id, {@code sha256:...}
 * @param logPath its CRI log file
 * @param createdAt when the runtime created it (RFC 3339)
 * @param argv the command it runs
 * @param env its whole environment, {@code K=V}
 * @param cwd its working directory
 * @param privileges its resolved identity and capabilities
 * @param exit how it ended, or {@code null} while it runs
 */
record ContainerRecord(
        String id,
        String podUid,
        String name,
        int attempt,
        String image,
        String imageId,
        String logPath,
        String createdAt,
        List<String> argv,
        List<String> env,
        String cwd,
        Privileges privileges,
        Exit exit) {

    /**
     * How a container ended.
     *
     * @param exitCode its code, 128 + signal if it was killed
     * @param finishedAt when it ended (RFC 3339)
     * @param reason {@code Completed}, {@code OOMKilled} or {@code Error}
     * @param message details, or {@code null}
     */
    record Exit(int exitCode, String finishedAt, String reason, String message) {}

    ContainerRecord withExit(Exit e) {
        return new ContainerRecord(id, podUid, name, attempt, image, imageId, logPath, createdAt, argv, env, cwd,
                privileges, e);
    }

    /** The status of this container: exited if it has an exit, else running with {@code pid}. */
    ContainerStatus status(long pid, Instant startedAt) {
        if (exit != null) {
            return new ContainerStatus(id, podUid, name, attempt, image, imageId, ContainerStatus.ContainerState.EXITED,
                    0, startedAt, Instant.parse(exit.finishedAt()), exit.exitCode(), exit.reason(), exit.message(),
                    Path.of(logPath));
        }
        ContainerStatus.ContainerState state =
                pid > 0 ? ContainerStatus.ContainerState.RUNNING : ContainerStatus.ContainerState.CREATED;
        return new ContainerStatus(id, podUid, name, attempt, image, imageId, state, pid, startedAt, null, null, null,
                null, Path.of(logPath));
    }
}
