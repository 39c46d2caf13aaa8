package io.capstan.node.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A byte stream carried in WebSocket binary messages ({@code SPDY/3.1+portforward.k8s.io}): reads
 * concatenate the payloads of the client's messages (message boundaries mean nothing), each
 * {@code flush()} of the output sends what was written since as one message.
 */
final class WebSocketTunnel {
    private final WebSocketConnection ws;
    private final InputStream input = new TunnelInput();
    private final OutputStream output = new TunnelOutput();

    WebSocketTunnel(WebSocketConnection ws) {
        this.ws = ws;
    }

    InputStream input() {
        return input;
    }

    OutputStream output() {
        return output;
    }

    private final class TunnelInput extends InputStream {
        private byte[] current = new byte[0];
        private int pos;
        private boolean eof;

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
            while (pos == current.length) {
                if (eof) {
                    return -1;
                }
                WebSocketConnection.Message m = ws.readMessage();
                if (m == null) {
                    eof = true;
                    return -1;
                }
                if (m.opcode() != WebSocketFrames.BINARY) {
                    ws.sendClose(1003, "binary messages only");
                    eof = true;
                    return -1;
                }
                current = m.data();
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    private final class TunnelOutput extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (pending.size() > 0) {
                byte[] message = pending.toByteArray();
                pending.reset();
                ws.send(WebSocketFrames.BINARY, message);
            }
        }

        @Override
        public void close() {
            ws.sendClose(1000, "");
            ws.close();
        }
    }
}
