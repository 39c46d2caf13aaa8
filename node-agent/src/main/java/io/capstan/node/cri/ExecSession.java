package io.capstan.node.cri;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command running inside a container with its standard streams connected to the caller
 * ({@code kubectl exec}). The command runs in the container's namespaces and cgroup through the
 * shim, never on a JVM thread. Closing the session kills the command if it still runs and releases
 * its pipes; it is safe to call more than once.
 */
public interface ExecSession extends AutoCloseable {

    /** Writes to the command's stdin, or {@code null} when stdin was not asked for; closing it is EOF. */
    OutputStream stdin();

    /** The command's standard output; with a tty, everything the terminal shows. */
    InputStream stdout();

    /** The command's standard error; an empty stream with a tty (the terminal merges both). */
    InputStream stderr();

    /** Sets the terminal's size; ignored without a tty. */
    void resize(int columns, int rows);

    /** Waits for the command to end: its exit code, 128 + the signal number if it was killed. */
    int waitFor() throws InterruptedException;

    @Override
    void close();
}
