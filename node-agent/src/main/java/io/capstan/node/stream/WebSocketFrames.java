package io.capstan.node.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * RFC 6455 frame encoding and decoding. Frames from a client are masked; the server's are not
 * (the codec does both so a test client can use it).
 */
final class WebSocketFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private WebSocketFrames() {}

    /** One frame, payload unmasked. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        boolean control() {
            return (opcode & 0x8) != 0;
        }
    }

    /** A violation of RFC 6455 by the peer; the connection is closed with code 1002. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    /** Reads one frame, or returns {@code null} at end of stream before its first byte. */
    static Frame read(InputStream in, int maxPayload) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte(in);
        if ((b0 & 0x70) != 0) {
            throw new ProtocolException("reserved bits set without an extension");
        }
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (readByte(in) << 8) | readByte(in);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte(in);
            }
        }
        boolean control = (opcode & 0x8) != 0;
        if (control && (len > 125 || !fin)) {
            throw new ProtocolException("invalid control frame");
        }
        if (len < 0 || len > maxPayload) {
            throw new ProtocolException("frame of " + len + " bytes is too large");
        }
        byte[] mask = masked ? readFully(in, 4) : null;
        byte[] payload = readFully(in, (int) len);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame(fin, opcode, payload);
    }

    /**
     * Writes one frame whose payload is the concatenation of {@code parts}; masked with
     * {@code mask} (4 bytes) when not {@code null}.
     */
    static void write(OutputStream out, boolean fin, int opcode, byte[] mask, byte[]... parts) throws IOException {
        long len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] head = new byte[14];
        int n = 0;
        head[n++] = (byte) ((fin ? 0x80 : 0) | opcode);
        int maskBit = mask != null ? 0x80 : 0;
        if (len < 126) {
            head[n++] = (byte) (maskBit | len);
        } else if (len < 65536) {
            head[n++] = (byte) (maskBit | 126);
            head[n++] = (byte) (len >>> 8);
            head[n++] = (byte) len;
        } else {
            head[n++] = (byte) (maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                head[n++] = (byte) (len >>> (8 * i));
            }
        }
        if (mask != null) {
            System.arraycopy(mask, 0, head, n, 4);
            n += 4;
        }
        out.write(head, 0, n);
        int pos = 0;
        for (byte[] p : parts) {
            if (mask == null) {
                out.write(p);
            } else {
                byte[] m = new byte[p.length];
                for (int i = 0; i < p.length; i++, pos++) {
                    m[i] = (byte) (p[i] ^ mask[pos & 3]);
                }
                out.write(m);
            }
        }
    }

    /** The payload of a close frame: the code and a UTF-8 reason. */
    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] p = new byte[2 + Math.min(r.length, 123)];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, p.length - 2);
        return p;
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a frame");
        }
        return b;
    }

    static byte[] readFully(InputStream in, int len) throws IOException {
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new EOFException("connection closed inside a frame");
        }
        return b;
    }
}
