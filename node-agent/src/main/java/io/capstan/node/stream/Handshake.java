package io.capstan.node.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Protocol negotiation of an upgrade request and the answer to it: {@code 101 Switching Protocols}
 * with the chosen sub-protocol, or a {@code 400} Kubernetes Status (kubectl then falls back from
 * WebSocket to SPDY, or prints the message).
 */
final class Handshake {
    static final String V5 = "v5.channel.k8s.io";
    static final String V4 = "v4.channel.k8s.io";
    static final String V3 = "v3.channel.k8s.io";
    static final String V2 = "v2.channel.k8s.io";
    static final String V1 = "channel.k8s.io";
    static final String PORT_FORWARD = "portforward.k8s.io";
    static final String TUNNELED_PORT_FORWARD = "SPDY/3.1+" + PORT_FORWARD;
    private static final List<String> WS_COMMAND = List.of(V5, V4);
    private static final List<String> SPDY_COMMAND = List.of(V4, V3, V2, V1);
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Handshake() {}

    /** How the connection continues after the upgrade. */
    enum Transport { WEBSOCKET, SPDY }

    /** The negotiated transport and sub-protocol ({@code ""} for a legacy SPDY client that offered none). */
    record Choice(Transport transport, String protocol) {}

    /** An upgrade that cannot be served; answered with a 400 Status carrying the message. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Negotiates exec and attach: WebSocket v5/v4 (v5 preferred), or SPDY v4 down to v1. */
    static Choice command(StreamRequest req) throws Refused {
        if (isWebSocket(req)) {
            List<String> offered = req.headerTokens("sec-websocket-protocol");
            for (String p : WS_COMMAND) {
                if (offered.contains(p)) {
                    return new Choice(Transport.WEBSOCKET, p);
                }
            }
            throw refusal(offered, WS_COMMAND);
        }
        if (isSpdy(req)) {
            List<String> offered = req.headerTokens("x-stream-protocol-version");
            if (offered.isEmpty()) {
                return new Choice(Transport.SPDY, V1);
            }
            for (String p : offered) { // the client's order, as kubelet
                if (SPDY_COMMAND.contains(p)) {
                    return new Choice(Transport.SPDY, p);
                }
            }
            throw refusal(offered, SPDY_COMMAND);
        }
        throw new Refused("unable to upgrade: missing upgrade headers in request");
    }

    /** Negotiates port forwarding: SPDY/3.1 tunnelled in WebSocket, or plain SPDY/3.1. */
    static Choice portForward(StreamRequest req) throws Refused {
        if (isWebSocket(req)) {
            List<String> offered = req.headerTokens("sec-websocket-protocol");
            if (offered.contains(TUNNELED_PORT_FORWARD)) {
                return new Choice(Transport.WEBSOCKET, TUNNELED_PORT_FORWARD);
            }
            throw refusal(offered, List.of(TUNNELED_PORT_FORWARD));
        }
        if (isSpdy(req)) {
            List<String> offered = req.headerTokens("x-stream-protocol-version");
            if (offered.isEmpty()) {
                return new Choice(Transport.SPDY, "");
            }
            if (offered.contains(PORT_FORWARD)) {
                return new Choice(Transport.SPDY, PORT_FORWARD);
            }
            throw refusal(offered, List.of(PORT_FORWARD));
        }
        throw new Refused("unable to upgrade: missing upgrade headers in request");
    }

    /** Writes the 101 answer for {@code choice}. */
    static void accept(Choice choice, StreamRequest req, OutputStream out) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        if (choice.transport() == Transport.WEBSOCKET) {
            head.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Accept: ").append(acceptKey(req.header("sec-websocket-key"))).append("\r\n")
                    .append("Sec-WebSocket-Protocol: ").append(choice.protocol()).append("\r\n");
        } else {
            head.append("Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n");
            if (!choice.protocol().isEmpty()) {
                head.append("X-Stream-Protocol-Version: ").append(choice.protocol()).append("\r\n");
            }
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Writes a non-101 answer with a Kubernetes Status body; the connection is closed after it. */
    static void refuse(OutputStream out, int code, String reason, String message) throws IOException {
        byte[] body = StatusJson.error(code, reason, message).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + (code == 400 ? "Bad Request" : "Error") + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** RFC 6455 {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}. */
    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key.trim() + WS_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isWebSocket(StreamRequest req) throws Refused {
        if (!upgrade(req).equals("websocket")) {
            return false;
        }
        String key = req.header("sec-websocket-key");
        if (key == null || key.isBlank()) {
            throw new Refused("unable to upgrade: missing Sec-WebSocket-Key");
        }
        String version = req.header("sec-websocket-version");
        if (version != null && !version.trim().equals("13")) {
            throw new Refused("unable to upgrade: unsupported WebSocket version " + version);
        }
        return true;
    }

    private static boolean isSpdy(StreamRequest req) {
        return upgrade(req).equals("spdy/3.1");
    }

    private static String upgrade(StreamRequest req) {
        boolean connectionUpgrade = req.headerTokens("connection").stream().anyMatch(t -> t.equalsIgnoreCase("upgrade"));
        String upgrade = req.header("upgrade");
        return connectionUpgrade && upgrade != null ? upgrade.trim().toLowerCase(Locale.ROOT) : "";
    }

    private static Refused refusal(List<String> offered, List<String> supported) {
        return new Refused("unable to upgrade: unable to negotiate protocol: client supports " + offered
                + ", server supports " + supported);
    }
}
