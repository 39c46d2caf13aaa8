package io.capstan.node.stream;

import io.capstan.node.stream.SpdyFrame.Data;
import io.capstan.node.stream.SpdyFrame.GoAway;
import io.capstan.node.stream.SpdyFrame.Headers;
import io.capstan.node.stream.SpdyFrame.Ping;
import io.capstan.node.stream.SpdyFrame.RstStream;
import io.capstan.node.stream.SpdyFrame.SynReply;
import io.capstan.node.stream.SpdyFrame.SynStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The server side of a SPDY/3.1 connection: streams are opened by the client (odd ids) and answered
 * with SYN_REPLY when the handler accepts them (RST_STREAM REFUSED_STREAM otherwise); client pings
 * are echoed; SETTINGS and WINDOW_UPDATE are read and ignored (we do not limit what we send, like
 * the Go spdystream peers kubectl uses, which send no window updates); we reopen the client's
 * windows as data is received (connection) and consumed (streams).
 */
final class SpdyConnection implements Closeable {
    private static final Logger LOG = Logger.getLogger(SpdyConnection.class);
    private final SpdyFramer framer;
    private final InputStream in;
    private final OutputStream out;
    private final Idle.Watch idle;
    private final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();
    private final Gone gone = new Gone();
    private volatile int lastStreamId;
    private int unacknowledged;
    private volatile boolean goneAway;

    /** Decides about each stream the client opens; runs on the reader thread, must not block. */
    @FunctionalInterface
    interface Handler {
        boolean accept(SpdyStream stream);
    }

    SpdyConnection(InputStream in, OutputStream out, Idle.Watch idle) {
        this.in = in;
        this.out = out;
        this.framer = new SpdyFramer(in, out);
        this.idle = idle;
    }

    /** Reads frames until the client closes or the connection breaks; then resets every stream. */
    void serve(Handler handler) {
        try {
            SpdyFrame f;
            while ((f = framer.read()) != null) {
                idle.touch();
                handle(f, handler);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("SPDY connection ended: %s", e.getMessage());
        } finally {
            streams.values().forEach(SpdyStream::remoteReset);
            streams.clear();
            gone.signal();
        }
    }

    private void handle(SpdyFrame f, Handler handler) throws IOException {
        if (f instanceof SynStream s) {
            if (goneAway || (s.streamId() & 1) == 0 || s.streamId() <= lastStreamId) {
                send(new RstStream(s.streamId(), SpdyFrame.RST_PROTOCOL_ERROR));
                return;
            }
            lastStreamId = s.streamId();
            SpdyStream stream = new SpdyStream(s.streamId(), s.headers(), this);
            if ((s.flags() & SpdyFrame.FLAG_FIN) != 0) {
                stream.remoteFin();
            }
            streams.put(s.streamId(), stream);
            if (!handler.accept(stream)) {
                streams.remove(s.streamId());
                send(new RstStream(s.streamId(), SpdyFrame.RST_REFUSED_STREAM));
                stream.remoteReset();
                return;
            }
            send(new SynReply(s.streamId(), 0, Map.of()));
        } else if (f instanceof Data d) {
            SpdyStream stream = streams.get(d.streamId());
            if (stream != null) {
                stream.received(d.data());
                if ((d.flags() & SpdyFrame.FLAG_FIN) != 0) {
                    stream.remoteFin();
                }
            }
            unacknowledged += d.data().length;
            if (unacknowledged >= SpdyStream.INITIAL_WINDOW / 2) {
                send(new SpdyFrame.WindowUpdate(0, unacknowledged));
                unacknowledged = 0;
            }
        } else if (f instanceof RstStream r) {
            SpdyStream stream = streams.remove(r.streamId());
            if (stream != null) {
                stream.remoteReset();
            }
        } else if (f instanceof Headers h) {
            SpdyStream stream = streams.get(h.streamId());
            if (stream != null && (h.flags() & SpdyFrame.FLAG_FIN) != 0) {
                stream.remoteFin();
            }
        } else if (f instanceof Ping p) {
            if ((p.id() & 1) == 1) {
                send(p);
            }
        } else if (f instanceof GoAway) {
            goneAway = true;
        }
        // SETTINGS, WINDOW_UPDATE and unknown control frames: nothing to do
    }

    /** Sends a frame. */
    void send(SpdyFrame frame) throws IOException {
        framer.write(frame);
        idle.touch();
    }

    /** Sends a frame, ignoring a broken connection (the reader notices it). */
    void sendQuietly(SpdyFrame frame) {
        try {
            send(frame);
        } catch (IOException ignored) {
            // the connection is going away
        }
    }

    /** Forgets a stream that is over on both sides. */
    void forget(SpdyStream stream) {
        streams.remove(stream.id());
    }

    /** Runs {@code r} once when the connection has ended. */
    void onClosed(Runnable r) {
        gone.onGone(r);
    }

    boolean isClosed() {
        return gone.isGone();
    }

    /** Waits for the client to close, at most {@code d}. */
    boolean awaitClosed(java.time.Duration d) {
        return gone.await(d);
    }

    /** Tells the client no more streams will be accepted (GOAWAY OK). */
    void goAway() {
        goneAway = true;
        sendQuietly(new GoAway(lastStreamId, 0));
    }

    @Override
    public void close() {
        Streams.closeQuietly(in);
        Streams.closeQuietly(out);
        framer.end();
    }
}
