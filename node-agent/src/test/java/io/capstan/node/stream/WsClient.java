package io.capstan.node.stream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** A test HTTP/WebSocket client on top of {@link WebSocketFrames}: sends masked frames as clients must. */
final class WsClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    String body = "";

    private WsClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request head with the given extra header lines and reads the response head (and body if not 101). */
    static WsClient request(int port, String method, String target, String... headerLines) throws IOException {
        WsClient c = new WsClient(port);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headerLines) {
            head.append(h).append("\r\n");
        }
        c.out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        c.out.flush();
        c.readResponseHead();
        return c;
    }

    /** A WebSocket upgrade offering {@code protocols}. */
    static WsClient websocket(int port, String target, String protocols) throws IOException {
        return request(port, "GET", target, "Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol: " + protocols);
    }

    /** A SPDY upgrade offering {@code protocols}. */
    static WsClient spdy(int port, String target, String protocols) throws IOException {
        return request(port, "POST", target, "Connection: Upgrade", "Upgrade: SPDY/3.1",
                "X-Stream-Protocol-Version: " + protocols, "Content-Length: 0");
    }

    private void readResponseHead() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean first = true;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("no response");
            }
            if (c != '\n') {
                line.write(c);
                continue;
            }
            String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            line.reset();
            if (l.isEmpty()) {
                break;
            }
            if (first) {
                status = Integer.parseInt(l.split(" ")[1]);
                first = false;
            } else {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
        }
        if (status != 101 && headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
    }

    /** Sends one masked frame. */
    void send(boolean fin, int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        WebSocketFrames.write(out, fin, opcode, mask, payload);
        out.flush();
    }

    /** Sends a binary message: the channel byte then {@code data}. */
    void sendChannel(int channel, String data) throws IOException {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[d.length + 1];
        p[0] = (byte) channel;
        System.arraycopy(d, 0, p, 1, d.length);
        send(true, WebSocketFrames.BINARY, p);
    }

    /** The next frame from the server (unmasked), or {@code null} at end of stream. */
    WebSocketFrames.Frame read() throws IOException {
        return WebSocketFrames.read(in, 1 << 24);
    }

    /** Reads channel messages until the close frame; returns the text per channel. */
    Map<Integer, String> readChannelsUntilClose() throws IOException {
        Map<Integer, ByteArrayOutputStream> got = new LinkedHashMap<>();
        WebSocketFrames.Frame f;
        while ((f = read()) != null && f.opcode() != WebSocketFrames.CLOSE) {
            if (f.opcode() == WebSocketFrames.BINARY && f.payload().length > 0) {
                got.computeIfAbsent(f.payload()[0] & 0xff, k -> new ByteArrayOutputStream())
                        .write(f.payload(), 1, f.payload().length - 1);
            }
        }
        if (f != null) {
            send(true, WebSocketFrames.CLOSE, WebSocketFrames.closePayload(1000, ""));
        }
        Map<Integer, String> text = new LinkedHashMap<>();
        got.forEach((k, v) -> text.put(k, v.toString(StandardCharsets.UTF_8)));
        return text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
