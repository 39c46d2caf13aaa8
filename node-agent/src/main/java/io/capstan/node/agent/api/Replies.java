package io.capstan.node.agent.api;

import io.capstan.node.stream.StatusJson;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes HTTP/1.1 responses on a raw connection: Kubernetes Status errors, small bodies, and the
 * head of a chunked stream. Every response says {@code Connection: close}: the API server opens
 * one connection per request.
 */
final class Replies {
    private Replies() {}

    /** A {@code Status} failure answer. */
    static void status(OutputStream out, int code, String reason, String message) throws IOException {
        String body = StatusJson.error(code, reason, message);
        body(out, code, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static void status(OutputStream out, ApiError e) throws IOException {
        status(out, e.code(), e.reason(), e.getMessage());
    }

    static void body(OutputStream out, int code, String contentType, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + code + " " + phrase(code) + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Writes a 200 head for a chunked body and returns the stream to write the body to (close ends it). */
    static OutputStream chunked(OutputStream out, String contentType) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new ChunkedOutput(out);
    }

    static String phrase(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** HTTP/1.1 chunked transfer coding; each flush sends what was written as one chunk. */
    private static final class ChunkedOutput extends OutputStream {
        private final OutputStream out;
        private final byte[] buf = new byte[8192];
        private int n;
        private boolean closed;

        ChunkedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) {
                drain();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) {
                    drain();
                }
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        private void drain() throws IOException {
            if (n > 0) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(buf, 0, n);
                out.write('\r');
                out.write('\n');
                n = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                drain();
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }
    }
}
