package io.capstan.node.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.IntConsumer;

/**
 * A bounded in-memory byte queue between a connection's reader thread (the writer here) and the
 * thread that consumes one stream of the session. A full pipe blocks its writer (back-pressure);
 * {@link #close()} is end-of-stream after the buffered bytes; when the consumer closes its
 * {@link #input()} further writes are discarded. {@code onConsumed} learns how many bytes the
 * consumer took (SPDY window updates).
 */
final class BytePipe {
    private final byte[] buf;
    private final IntConsumer onConsumed;
    private int head;
    private int count;
    private boolean closed;
    private boolean abandoned;

    BytePipe(int capacity, IntConsumer onConsumed) {
        this.buf = new byte[capacity];
        this.onConsumed = onConsumed;
    }

    /** Appends bytes, blocking while the pipe is full; discards them once the reader is gone. */
    void write(byte[] b, int off, int len) throws IOException {
        synchronized (this) {
            while (len > 0) {
                if (abandoned || closed) {
                    return;
                }
                if (count == buf.length) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted writing to a stream");
                    }
                    continue;
                }
                int tail = (head + count) % buf.length;
                int n = Math.min(len, Math.min(buf.length - count, buf.length - tail));
                System.arraycopy(b, off, buf, tail, n);
                count += n;
                off += n;
                len -= n;
                notifyAll();
            }
        }
    }

    /** End of stream: the reader sees EOF once it has read what is buffered. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Whether {@link #close()} was called. */
    synchronized boolean isClosed() {
        return closed;
    }

    /** The reading side; closing it abandons the pipe. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n;
                synchronized (BytePipe.this) {
                    while (count == 0 && !closed && !abandoned) {
                        try {
                            BytePipe.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("interrupted reading a stream");
                        }
                    }
                    if (count == 0) {
                        return -1;
                    }
                    n = Math.min(len, Math.min(count, buf.length - head));
                    System.arraycopy(buf, head, b, off, n);
                    head = (head + n) % buf.length;
                    count -= n;
                    BytePipe.this.notifyAll();
                }
                if (onConsumed != null) {
                    onConsumed.accept(n);
                }
                return n;
            }

            @Override
            public int available() {
                synchronized (BytePipe.this) {
                    return count;
                }
            }

            @Override
            public void close() {
                synchronized (BytePipe.this) {
                    abandoned = true;
                    count = 0;
                    BytePipe.this.notifyAll();
                }
            }
        };
    }
}
