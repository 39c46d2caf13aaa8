package io.capstan.node.stream;

import java.io.IOException;

/**
 * What an attached container prints ({@code kubectl attach}). The agent API builds it by following
 * the container's log. {@link #pump} blocks and hands each chunk to the sink until the container
 * ends (then it returns) or the session closes: the sink then throws {@link IOException}, and the
 * pumping thread is interrupted, so a pump waiting for more output must give up on interrupt.
 */
@FunctionalInterface
public interface OutputSource {

    /** Hands every chunk of output to {@code sink} until the container ends. */
    void pump(ChunkSink sink) throws IOException, InterruptedException;

    /** Receives output chunks. */
    @FunctionalInterface
    interface ChunkSink {
        /** Writes one chunk of stream {@code stream} (1 = stdout, 2 = stderr). */
        void write(int stream, byte[] b, int off, int len) throws IOException;
    }
}
