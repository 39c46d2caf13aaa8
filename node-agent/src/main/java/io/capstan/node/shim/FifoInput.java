package io.capstan.node.shim;

import io.capstan.node.cri.ContainerInput;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The input side of an attached container: its stdin FIFO and its resize FIFO, both kept by the
 * container's shim. The FIFOs are opened read-write, which never blocks (a FIFO opened write-only
 * would wait for a reader forever if the shim had just gone); nothing is ever read from them here.
 */
final class FifoInput implements ContainerInput {
    private final RandomAccessFile stdinFile;
    private final OutputStream stdin;
    private final Path resizeFifo;

    FifoInput(Path stdinFifo, Path resizeFifo) throws IOException {
        this.stdinFile = stdinFifo == null ? null : new RandomAccessFile(stdinFifo.toFile(), "rw");
        this.stdin = stdinFile == null ? null : new FileOutputStream(stdinFile.getFD());
        this.resizeFifo = resizeFifo;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public void resize(int columns, int rows) {
        if (resizeFifo == null || columns <= 0 || rows <= 0) {
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
        if (stdinFile != null) {
            ShimExecSession.closeQuietly(stdinFile);
        }
    }
}
