package io.capstan.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** port-forward end to end: SPDY/3.1 plain and tunnelled in WebSocket, against a loopback echo server. */
class PortForwardTest {
    private final StreamRuntime runtime = new StreamRuntime();
    private final StreamHarness harness;
    private final ServerSocket echo;

    PortForwardTest() throws IOException {
        harness = new StreamHarness(new StreamServer(runtime, new StreamOptions(Duration.ofMinutes(5),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2))));
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Threads.start("test-echo", () -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Threads.start("test-echo-conn", () -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            out.write("echo: ".getBytes());
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // test peer gone
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        echo.close();
        harness.close();
    }

    @Test
    void spdyPairsRelayBothWaysAndAConnectErrorLeavesTheSessionUsable() throws Exception {
        WsClient raw = WsClient.spdy(harness.port(), "/portForward/ns/web", "portforward.k8s.io");
        assertEquals(101, raw.status);
        assertEquals("portforward.k8s.io", raw.headers.get("x-stream-protocol-version"));
        try (raw; SpdyClient c = new SpdyClient(raw.in, raw.out)) {
            exercise(c);
        }
    }

    @Test
    void spdyTunnelledInWebSocketMessages() throws Exception {
        WsClient raw = WsClient.websocket(harness.port(), "/portForward/ns/web", "SPDY/3.1+portforward.k8s.io");
        assertEquals(101, raw.status);
        assertEquals("SPDY/3.1+portforward.k8s.io", raw.headers.get("sec-websocket-protocol"));
        try (raw; SpdyClient c = SpdyClient.overWebSocket(raw)) {
            exercise(c);
        }
    }

    @Test
    void invalidPortsAreRefused() throws Exception {
        try (WsClient raw = WsClient.spdy(harness.port(), "/portForward/ns/web?port=99999", "portforward.k8s.io")) {
            assertEquals(400, raw.status);
            assertTrue(raw.body.contains("invalid port"), raw.body);
        }
        WsClient raw = WsClient.spdy(harness.port(), "/portForward/ns/web", "portforward.k8s.io");
        try (raw; SpdyClient c = new SpdyClient(raw.in, raw.out)) {
            int bad = c.open("streamtype", "data", "port", "0", "requestid", "9");
            assertTrue(c.await(bad, s -> s.reset).reset);
            int noType = c.open("port", "80", "requestid", "9");
            assertTrue(c.await(noType, s -> s.reset).reset);
        }
    }

    private void exercise(SpdyClient c) throws Exception {
        int port = echo.getLocalPort();
        // a pair to the echo server
        int error = c.open("streamtype", "error", "port", Integer.toString(port), "requestid", "0");
        int data = c.open("streamtype", "data", "port", Integer.toString(port), "requestid", "0");
        c.send(data, "ping", false);
        assertEquals("echo: ping", c.await(data, s -> s.text().equals("echo: ping")).text());
        c.send(data, "", true); // half-close: the echo server ends, so does the pair
        c.await(data, s -> s.fin);
        assertEquals("", c.await(error, s -> s.fin).text());

        // a pair to a closed port: the error goes on the error stream
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        int error2 = c.open("streamtype", "error", "port", Integer.toString(closed), "requestid", "1");
        c.open("streamtype", "data", "port", Integer.toString(closed), "requestid", "1");
        String message = c.await(error2, s -> s.fin).text();
        assertTrue(message.startsWith("error forwarding port " + closed + " to pod ns/web, uid uid-web: ")
                && message.contains("connection refused"), message);

        // the session still serves further pairs
        int error3 = c.open("streamtype", "error", "port", Integer.toString(port), "requestid", "2");
        int data3 = c.open("streamtype", "data", "port", Integer.toString(port), "requestid", "2");
        c.send(data3, "again", true);
        assertEquals("echo: again", c.await(data3, s -> s.fin).text());
        c.await(error3, s -> s.fin);

        // pings from the client are echoed
        c.write(new SpdyFrame.Ping(11));
        c.awaitControl(f -> f instanceof SpdyFrame.Ping p && p.id() == 11);
    }
}
