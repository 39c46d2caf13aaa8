package io.capstan.node.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One SPDY stream the client opened: its headers, what the client sends ({@link #input()}, EOF at
 * the client's FIN or reset) and what we send ({@link #output()}: DATA frames; closing it sends
 * FIN). As the consumer reads, the stream's window is reopened with WINDOW_UPDATE.
 */
final class SpdyStream {
    static final int INITIAL_WINDOW = 64 * 1024;
    private static final int CHUNK = 16 * 1024;
    private final int id;
    private final Map<String, List<String>> headers;
    private final SpdyConnection connection;
    private final BytePipe in;
    private final Gone reset = new Gone();
    private final OutputStream out = new StreamOutput();
    private int unacknowledged;
    private boolean finSent;

    SpdyStream(int id, Map<String, List<String>> headers, SpdyConnection connection) {
        this.id = id;
        this.headers = headers;
        this.connection = connection;
        this.in = new BytePipe(2 * INITIAL_WINDOW, this::consumed);
    }

    int id() {
        return id;
    }

    /** The first value of a header (lower-case name), or {@code null}. */
    String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    InputStream input() {
        return in.input();
    }

    OutputStream output() {
        return out;
    }

    /** Runs {@code r} once when the client resets the stream or the connection ends. */
    void onReset(Runnable r) {
        reset.onGone(r);
    }

    boolean isReset() {
        return reset.isGone();
    }

    /** Aborts the stream: RST_STREAM CANCEL to the client. */
    void reset() {
        if (!reset.isGone()) {
            connection.sendQuietly(new SpdyFrame.RstStream(id, SpdyFrame.RST_CANCEL));
        }
        remoteReset();
    }

    /** Drops the stream from the connection's table (it is over on our side). */
    void forget() {
        connection.forget(this);
    }

    // ---- called by the connection's reader -----------------------------------------------------

    void received(byte[] data) throws IOException {
        in.write(data, 0, data.length);
    }

    void remoteFin() {
        in.close();
    }

    void remoteReset() {
        in.close();
        reset.signal();
    }

    private void consumed(int n) {
        int grant;
        synchronized (this) {
            unacknowledged += n;
            if (unacknowledged < INITIAL_WINDOW / 2 || in.isClosed()) {
                return;
            }
            grant = unacknowledged;
            unacknowledged = 0;
        }
        connection.sendQuietly(new SpdyFrame.WindowUpdate(id, grant));
    }

    private final class StreamOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                check();
                int n = Math.min(len, CHUNK);
                connection.send(new SpdyFrame.Data(id, 0, Arrays.copyOfRange(b, off, off + n)));
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (SpdyStream.this) {
                if (finSent || reset.isGone()) {
                    return;
                }
                finSent = true;
            }
            connection.send(new SpdyFrame.Data(id, SpdyFrame.FLAG_FIN, new byte[0]));
        }

        private void check() throws IOException {
            synchronized (SpdyStream.this) {
                if (finSent) {
                    throw new IOException("write after FIN on SPDY stream " + id);
                }
            }
            if (reset.isGone()) {
                throw new IOException("SPDY stream " + id + " was reset");
            }
        }
    }
}
