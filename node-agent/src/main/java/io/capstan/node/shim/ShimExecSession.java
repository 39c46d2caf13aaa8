package io.capstan.node.shim;

import io.capstan.node.cri.ExecSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code capstan-shim exec --stream} process as an {@link ExecSession}: the shim's stdin is the
 * command's (closing {@link #stdin()} is EOF; with a tty the shim types ^D), its stdout and stderr
 * carry the command's (with a tty everything comes on stdout), and its exit code is the command's.
 * Resizes are lines "COLS ROWS" written to the shim's resize FIFO. {@link #close()} SIGKILLs the
 * shim, which takes the command with it (parent-death signal), and deletes the FIFO.
 */
final class ShimExecSession implements ExecSession {
    private final Process process;
    private final OutputStream stdin;
    private final Path resizeFifo;
    private RandomAccessFile resize;

    ShimExecSession(Process process, boolean stdin, Path resizeFifo) {
        this.process = process;
        this.stdin = stdin ? new FlushingOutputStream(process.getOutputStream()) : null;
        this.resizeFifo = resizeFifo;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public synchronized void resize(int columns, int rows) {
        if (resizeFifo == null || columns <= 0 || rows <= 0 || !process.isAlive()) {
            return;
        }
        try {
            if (resize == null) {
                // read-write: opening never blocks, even if the shim has just gone
                resize = new RandomAccessFile(resizeFifo.toFile(), "rw");
            }
            resize.write((columns + " " + rows + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the command has ended; a resize no longer matters
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** The shim's pid (tests look at its {@code /proc/<pid>/exe}). */
    long pid() {
        return process.pid();
    }

    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        closeQuietly(process.getOutputStream());
        closeQuietly(process.getInputStream());
        closeQuietly(process.getErrorStream());
        if (resize != null) {
            closeQuietly(resize);
            resize = null;
        }
        if (resizeFifo != null) {
            try {
                Files.deleteIfExists(resizeFifo);
            } catch (IOException e) {
                // the container's state dir is removed with the container anyway
            }
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed or broken
        }
    }
}
