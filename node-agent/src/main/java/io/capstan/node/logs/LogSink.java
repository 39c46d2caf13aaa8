package io.capstan.node.logs;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where {@link LogReader} writes the selected log text. Each call carries the CRI stream name
 * ({@code "stdout"} or {@code "stderr"}) of the bytes, so an attach relay can route them to its
 * channels; {@link #to(OutputStream)} drops the stream name for the containerLogs endpoint. The
 * reader flushes before it waits for more output while following, and stops when {@link #closed()}
 * says the consumer has gone or a write throws.
 */
@FunctionalInterface
public interface LogSink {

    /** Writes {@code len} bytes of {@code b} from {@code off} that came from {@code stream}. */
    void write(String stream, byte[] b, int off, int len) throws IOException;

    /** Pushes buffered bytes out; called before the reader waits for new records. */
    default void flush() throws IOException {
    }

    /** True once the consumer is gone; a following reader then stops at its next poll. */
    default boolean closed() {
        return false;
    }

    /** The raw text of all selected streams, in file order, into {@code out}. */
    static LogSink to(OutputStream out) {
        return new LogSink() {
            @Override
            public void write(String stream, byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }
}
