package io.capstan.node.agent.api;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * Writes a container's log as {@code kubectl logs} shows it; the seam between the agent API and
 * the log reader ({@code io.capstan.node.logs}).
 */
public interface ContainerLogs {

    /**
     * Writes the log of {@code target}'s current attempt (or the one before with {@code previous})
     * to {@code out}, flushing as it goes; with {@code follow}, keeps writing until the attempt has
     * exited and its log is drained, or until writing fails (the client went away).
     */
    void write(Target target, Options options, OutputStream out) throws IOException, InterruptedException;

    /**
     * What the request asked for (kubelet's PodLogOptions).
     *
     * @param previous the previous attempt instead of the current one
     * @param follow keep streaming until the container exits
     * @param tailLines only the last this many lines, or {@code null} for all
     * @param since only lines logged at or after this, or {@code null}
     * @param timestamps prefix each line with its RFC 3339 timestamp
     * @param limitBytes stop after this many bytes, or {@code null}
     */
    record Options(boolean previous, boolean follow, Long tailLines, Instant since, boolean timestamps,
            Long limitBytes) {}
}
