package io.capstan.node.shim;

import io.capstan.node.cri.ContainerInput;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The input side of an attached container: its stdin FIFO and its resize FIFO, both kept by the
 * container's shim. The FIFOs are opened read-write, which never blocks (a FIFO opened write-only
 * would wait for a reader forever if the shim had just gone). Writes go in pieces of at most
 * PIPE_BUF bytes; once the container's shim has exited, what is left in the FIFO is drained (so a
 * writer blocked on a full FIFO returns) and later writes fail.
 */
final class FifoInput implements ContainerInput {
    private static final int PIPE_BUF = 4096;

    private final RandomAccessFile stdinFile;
    private final OutputStream stdin;
    private final Path resizeFifo;
    private volatile boolean gone;
    private boolean closed;

    FifoInput(Path stdinFifo, Path resizeFifo, CompletableFuture<?> shimExit) throws IOException {
        this.stdinFile = stdinFifo == null ? null : new RandomAccessFile(stdinFifo.toFile(), "rw");
        this.stdin = stdinFile == null ? null : new Writer(new FileOutputStream(stdinFile.getFD()));
        this.resizeFifo = resizeFifo;
        shimExit.whenComplete((s, t) -> release());
    }

    private final class Writer extends OutputStream {
        private final FileOutputStream out;

        Writer(FileOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int done = 0; done < len; ) {
                if (gone) {
                    throw new IOException("the container has exited");
                }
                int n = Math.min(PIPE_BUF, len - done);
                out.write(b, off + done, n);
                done += n;
            }
        }

        @Override
        public void close() {
            FifoInput.this.close();
        }
    }

    /** The shim has gone: nobody reads the FIFO any more, so empty it and refuse further writes. */
    private synchronized void release() {
        gone = true;
        if (stdinFile == null || closed) {
            return;
        }
        try {
            FileInputStream in = new FileInputStream(stdinFile.getFD());
            byte[] buf = new byte[PIPE_BUF];
            while (in.available() > 0 && in.read(buf) > 0) {
                // discard
            }
        } catch (IOException e) {
            // closed meanwhile
        }
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public void resize(int columns, int rows) {
        if (resizeFifo == null || columns <= 0 || rows <= 0 || gone) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(resizeFifo.toFile(), "rw")) {
            f.write((columns + " " + rows + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the container has ended
        }
    }

    @Override
    public synchronized void close() {
        if (stdinFile != null && !closed) {
            closed = true;
            ShimExecSession.closeQuietly(stdinFile);
        }
    }
}
