package io.capstan.node.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A test SPDY/3.1 client on top of {@link SpdyFramer}: opens streams, sends data, and records what
 * the server sends per stream (data, FIN, reset, reply), plus pings and window updates.
 */
final class SpdyClient implements AutoCloseable {
    private final SpdyFramer framer;
    private final Map<Integer, State> streams = new HashMap<>();
    final List<SpdyFrame> control = new ArrayList<>();
    private int nextId = 1;
    private boolean closed;

    static final class State {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean replied;
        boolean fin;
        boolean reset;

        String text() {
            return data.toString(StandardCharsets.UTF_8);
        }
    }

    SpdyClient(InputStream in, OutputStream out) {
        this.framer = new SpdyFramer(in, out);
        Threads.start("test-spdy-client", this::readLoop);
    }

    /** A client whose SPDY bytes travel in masked WebSocket binary messages. */
    static SpdyClient overWebSocket(WsClient ws) {
        InputStream in = new InputStream() {
            private byte[] cur = new byte[0];
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (pos == cur.length) {
                    WebSocketFrames.Frame f = ws.read();
                    if (f == null || f.opcode() == WebSocketFrames.CLOSE) {
                        return -1;
                    }
                    if (f.opcode() == WebSocketFrames.BINARY) {
                        cur = f.payload();
                        pos = 0;
                    }
                }
                int n = Math.min(len, cur.length - pos);
                System.arraycopy(cur, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        OutputStream out = new OutputStream() {
            private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                buf.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                // split each frame over two messages: message boundaries must not matter
                byte[] all = buf.toByteArray();
                buf.reset();
                if (all.length == 0) {
                    return;
                }
                int half = all.length / 2;
                ws.send(true, WebSocketFrames.BINARY, java.util.Arrays.copyOfRange(all, 0, half));
                ws.send(true, WebSocketFrames.BINARY, java.util.Arrays.copyOfRange(all, half, all.length));
            }
        };
        return new SpdyClient(in, out);
    }

    private void readLoop() {
        try {
            SpdyFrame f;
            while ((f = framer.read()) != null) {
                synchronized (this) {
                    if (f instanceof SpdyFrame.Data d) {
                        State s = state(d.streamId());
                        s.data.writeBytes(d.data());
                        s.fin |= (d.flags() & SpdyFrame.FLAG_FIN) != 0;
                    } else if (f instanceof SpdyFrame.SynReply r) {
                        state(r.streamId()).replied = true;
                    } else if (f instanceof SpdyFrame.RstStream r) {
                        state(r.streamId()).reset = true;
                    } else {
                        control.add(f);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
        }
    }

    private State state(int id) {
        return streams.computeIfAbsent(id, k -> new State());
    }

    /** Opens a stream with {@code headers} ("name", "value", ...); returns its id. */
    synchronized int open(String... headers) throws IOException {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], List.of(headers[i + 1]));
        }
        int id = nextId;
        nextId += 2;
        state(id);
        framer.write(new SpdyFrame.SynStream(id, 0, 0, 0, h));
        return id;
    }

    void send(int id, String data, boolean fin) throws IOException {
        framer.write(new SpdyFrame.Data(id, fin ? SpdyFrame.FLAG_FIN : 0, data.getBytes(StandardCharsets.UTF_8)));
    }

    void write(SpdyFrame frame) throws IOException {
        framer.write(frame);
    }

    /** Waits (at most 30 s) until {@code condition} holds for stream {@code id}; returns its state. */
    synchronized State await(int id, Predicate<State> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.test(state(id))) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("stream " + id + " did not reach the expected state; data: " + state(id).text());
            }
            wait(left);
        }
        return state(id);
    }

    /** Waits (at most 30 s) until a control frame matching {@code condition} arrived. */
    synchronized SpdyFrame awaitControl(Predicate<SpdyFrame> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            for (SpdyFrame f : control) {
                if (condition.test(f)) {
                    return f;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || closed) {
                throw new AssertionError("no such control frame; got " + control);
            }
            wait(left);
        }
    }

    synchronized boolean awaitClosed() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!closed && System.currentTimeMillis() < deadline) {
            wait(1000);
        }
        return closed;
    }

    @Override
    public void close() {
        framer.end();
    }
}
