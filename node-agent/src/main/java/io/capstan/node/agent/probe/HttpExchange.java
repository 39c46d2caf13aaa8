package io.capstan.node.agent.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP/1.1 GET on a connection of its own ({@code Connection: close}, no keep-alive, no proxy),
 * over TLS for https without verifying the server's certificate or name (as kubelet's prober).
 * Reads the status, the Location header and at most {@link #MAX_BODY} bytes of the body; everything
 * before the headers must arrive by the deadline. A raw client because probes set their own Host
 * header, which the JDK's clients refuse.
 */
final class HttpExchange {
    static final int MAX_BODY = 10 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    /** The parts of a response a probe uses. */
    record Response(int code, String location, String body) {}

    /** A header to send, in order. */
    record Header(String name, String value) {}

    private HttpExchange() {}

    static Response get(URI uri, List<Header> headers, long deadlineNanos) throws IOException {
        boolean tls = "https".equals(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(uri.getHost(), port), remainingMillis(deadlineNanos));
            Socket s = plain;
            if (tls) {
                SSLSocket ssl = (SSLSocket) insecure().getSocketFactory()
                        .createSocket(plain, uri.getHost(), port, true);
                ssl.setSoTimeout(remainingMillis(deadlineNanos));
                ssl.startHandshake();
                s = ssl;
            }
            try {
                StringBuilder req = new StringBuilder("GET ").append(target(uri)).append(" HTTP/1.1\r\n");
                for (Header h : headers) {
                    req.append(h.name()).append(": ").append(h.value()).append("\r\n");
                }
                req.append("Connection: close\r\n\r\n");
                OutputStream out = s.getOutputStream();
                out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = new BufferedInputStream(s.getInputStream());
                s.setSoTimeout(remainingMillis(deadlineNanos));
                String status = line(in);
                String[] parts = status.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                    throw new IOException("malformed HTTP response \"" + status + "\"");
                }
                int code;
                try {
                    code = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed HTTP status code \"" + parts[1] + "\"");
                }
                String location = null;
                long length = -1;
                boolean chunked = false;
                for (String h = line(in); !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    switch (name) {
                        case "location" -> location = value;
                        case "content-length" -> length = parseLength(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        default -> { }
                    }
                }
                return new Response(code, location, body(in, chunked, length));
            } finally {
                s.close();
            }
        }
    }

    /** The request target: the path (at least "/") and the query as given. */
    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** Up to MAX_BODY bytes of the body; a body that stops early or too slowly is kept as read. */
    private static String body(InputStream in, boolean chunked, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (chunked) {
                while (out.size() < MAX_BODY) {
                    String size = line(in);
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        break;
                    }
                    copy(in, out, n);
                    line(in);
                }
            } else {
                copy(in, out, length < 0 ? MAX_BODY : length);
            }
        } catch (IOException | NumberFormatException e) {
            // the status decides; the body is only shown to the user
        }
        byte[] bytes = out.toByteArray();
        return new String(bytes, 0, Math.min(bytes.length, MAX_BODY), StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
        byte[] buf = new byte[4096];
        long left = Math.min(n, MAX_BODY - out.size());
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                return;
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static long parseLength(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One CRLF- (or LF-) terminated line of the head, without the terminator. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (b.size() == 0) {
                    throw new IOException("EOF");
                }
                break;
            }
            if (b.size() >= MAX_HEAD) {
                throw new IOException("response header too long");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static volatile SSLContext insecure;

    /** TLS that accepts any certificate: probes check that a server answers, not who it is. */
    private static SSLContext insecure() throws IOException {
        SSLContext c = insecure;
        if (c == null) {
            try {
                c = SSLContext.getInstance("TLS");
                c.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("TLS: " + e.getMessage(), e);
            }
            insecure = c;
        }
        return c;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
