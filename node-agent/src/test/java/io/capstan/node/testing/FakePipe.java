package io.capstan.node.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * An in-memory pipe for the fake runtime's streams: what is written to {@link #sink()} is read
 * from {@link #source()}; closing the sink is EOF for the reader, closing the source makes writes
 * fail. Unbounded; safe across threads (unlike {@link java.io.PipedInputStream}, it does not care
 * which thread wrote last).
 */
final class FakePipe {
    private final Object lock = new Object();
    private byte[] buf = new byte[256];
    private int len;
    private boolean writerClosed;
    private boolean readerClosed;
    private final Consumer<FakePipe> onEof;

    FakePipe() {
        this(p -> { });
    }

    /** {@code onEof} runs once when the sink is closed. */
    FakePipe(Consumer<FakePipe> onEof) {
        this.onEof = onEof;
    }

    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            synchronized (lock) {
                if (writerClosed || readerClosed) {
                    throw new IOException("Broken pipe");
                }
                if (len + n > buf.length) {
                    byte[] bigger = new byte[Math.max(buf.length * 2, len + n)];
                    System.arraycopy(buf, 0, bigger, 0, len);
                    buf = bigger;
                }
                System.arraycopy(b, off, buf, len, n);
                len += n;
                lock.notifyAll();
            }
        }

        @Override
        public void close() {
            boolean first;
            synchronized (lock) {
                first = !writerClosed;
                writerClosed = true;
                lock.notifyAll();
            }
            if (first) {
                onEof.accept(FakePipe.this);
            }
        }
    };

    private final InputStream source = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            synchronized (lock) {
                while (len == 0 && !writerClosed && !readerClosed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException();
                    }
                }
                if (len == 0) {
                    return -1;
                }
                int k = Math.min(n, len);
                System.arraycopy(buf, 0, b, off, k);
                System.arraycopy(buf, k, buf, 0, len - k);
                len -= k;
                return k;
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                readerClosed = true;
                lock.notifyAll();
            }
        }
    };

    OutputStream sink() {
        return sink;
    }

    InputStream source() {
        return source;
    }

    /** Ends the written side: EOF for the reader once it has read everything. */
    void closeSink() {
        try {
            sink.close();
        } catch (IOException e) {
            // cannot happen
        }
    }

    /** Ends the reading side: later writes fail. */
    void closeSource() {
        try {
            source.close();
        } catch (IOException e) {
            // cannot happen
        }
    }

    /** Writes without failing (the fake's own output after the reader went away is dropped). */
    void offer(byte[] b) {
        try {
            sink.write(b, 0, b.length);
        } catch (IOException e) {
            // closed
        }
    }
}
