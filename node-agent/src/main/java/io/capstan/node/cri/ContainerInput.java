package io.capstan.node.cri;

import java.io.OutputStream;

/**
 * The input side of a running container that was started with {@code stdin} or {@code tty}
 * ({@code kubectl attach}). What the container prints is read from its log. Closing releases
 * the connection; the container keeps running (with {@code stdinOnce} its stdin is closed).
 */
public interface ContainerInput extends AutoCloseable {

    /** Writes to the container's stdin, or {@code null} when the container has no stdin. */
    OutputStream stdin();

    /** Sets the container's terminal size; ignored without a tty. */
    void resize(int columns, int rows);

    @Override
    void close();
}
