package io.capstan.node.agent.api;

import io.capstan.node.logs.LogOptions;
import io.capstan.node.stream.OutputSource;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A container's log as {@code kubectl logs} and {@code kubectl attach} see it; the seam between
 * the agent API and the log reader ({@code io.capstan.node.logs}).
 */
public interface ContainerLogs {

    /**
     * Chooses the files {@code options} ask for (the current attempt of {@code target}, or the one
     * before with {@code previous}) and returns what writes them; fails with a 400 when there are none.
     */
    Body open(Target target, LogOptions options) throws ApiError;

    /**
     * What a container prints from now on, for {@code kubectl attach}: its current log followed
     * from the end until the container exits.
     */
    OutputSource follow(Target target) throws ApiError;

    /** Writes a chosen log. */
    @FunctionalInterface
    interface Body {
        /** Writes the log to {@code out}, flushing as it goes, until done (or the container exits, with follow). */
        void writeTo(OutputStream out) throws IOException;
    }
}
