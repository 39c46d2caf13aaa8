package io.capstan.node.shim;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes every write on at once: a process's stdin must not wait in a JDK buffer. */
final class FlushingOutputStream extends FilterOutputStream {
    FlushingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        out.flush();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        out.flush();
    }
}
