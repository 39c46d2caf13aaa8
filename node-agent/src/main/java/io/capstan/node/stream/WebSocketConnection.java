package io.capstan.node.stream;

import io.capstan.node.stream.WebSocketFrames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The server side of an upgraded WebSocket connection, message by message: reassembles fragmented
 * messages, answers pings, and runs the closing handshake (a client close is echoed; after our own
 * close the next messages are dropped until the client's close arrives). One thread reads; any
 * thread may send.
 */
final class WebSocketConnection implements Closeable {
    static final int MAX_MESSAGE = 16 << 20;
    private final InputStream in;
    private final OutputStream out;
    private final Idle.Watch idle;
    private boolean closeSent;
    private volatile boolean closed;

    /** A complete data message. */
    record Message(int opcode, byte[] data) {}

    WebSocketConnection(InputStream in, OutputStream out, Idle.Watch idle) {
        this.in = in;
        this.out = out;
        this.idle = idle;
    }

    /**
     * The next text or binary message, or {@code null} once the connection is over (the client's
     * close frame, end of stream, or a protocol error, which is answered with close code 1002).
     */
    Message readMessage() throws IOException {
        ByteArrayOutputStream partial = null;
        int partialOpcode = 0;
        while (true) {
            Frame f;
            try {
                f = WebSocketFrames.read(in, MAX_MESSAGE);
            } catch (WebSocketFrames.ProtocolException e) {
                sendClose(1002, e.getMessage());
                return null;
            }
            if (f == null) {
                return null;
            }
            idle.touch();
            switch (f.opcode()) {
                case WebSocketFrames.PING -> send(WebSocketFrames.PONG, f.payload());
                case WebSocketFrames.PONG -> { }
                case WebSocketFrames.CLOSE -> {
                    sendClose(f.payload().length >= 2 ? 1000 : 1000, "");
                    return null;
                }
                case WebSocketFrames.TEXT, WebSocketFrames.BINARY -> {
                    if (partial != null) {
                        sendClose(1002, "new message inside a fragmented one");
                        return null;
                    }
                    if (f.fin()) {
                        return new Message(f.opcode(), f.payload());
                    }
                    partial = new ByteArrayOutputStream();
                    partial.writeBytes(f.payload());
                    partialOpcode = f.opcode();
                }
                case WebSocketFrames.CONTINUATION -> {
                    if (partial == null) {
                        sendClose(1002, "continuation without a message");
                        return null;
                    }
                    if (partial.size() + f.payload().length > MAX_MESSAGE) {
                        sendClose(1009, "message too big");
                        return null;
                    }
                    partial.writeBytes(f.payload());
                    if (f.fin()) {
                        return new Message(partialOpcode, partial.toByteArray());
                    }
                }
                default -> {
                    sendClose(1002, "unknown opcode " + f.opcode());
                    return null;
                }
            }
        }
    }

    /** Sends one unfragmented frame whose payload is the concatenation of {@code parts}. */
    synchronized void send(int opcode, byte[]... parts) throws IOException {
        if (closeSent) {
            throw new IOException("WebSocket closed");
        }
        WebSocketFrames.write(out, true, opcode, null, parts);
        out.flush();
        idle.touch();
    }

    /** Sends a close frame unless one was sent already. */
    synchronized void sendClose(int code, String reason) {
        if (closeSent || closed) {
            return;
        }
        try {
            WebSocketFrames.write(out, true, WebSocketFrames.CLOSE, null, WebSocketFrames.closePayload(code, reason));
            out.flush();
        } catch (IOException ignored) {
            // the peer is gone; nothing more to say
        }
        closeSent = true;
    }

    /** Closes the connection without a handshake. */
    @Override
    public void close() {
        closed = true;
        Streams.closeQuietly(in);
        Streams.closeQuietly(out);
    }
}
