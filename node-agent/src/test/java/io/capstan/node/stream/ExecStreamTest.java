package io.capstan.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** exec and attach end to end over a loopback socket: WebSocket v5/v4 channels and SPDY v4. */
class ExecStreamTest {
    private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";
    private final StreamRuntime runtime = new StreamRuntime();
    private final StreamHarness harness = harness();

    private StreamHarness harness() {
        try {
            return new StreamHarness(new StreamServer(runtime, new StreamOptions(Duration.ofMinutes(5),
                    Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() throws IOException {
        harness.close();
    }

    @Test
    void websocketV5ExecPrintsOutputAndEndsWithSuccess() throws IOException {
        try (WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?command=echo&command=hi&command=there"
                + "&stdout=true&stderr=true", "v5.channel.k8s.io")) {
            assertEquals(101, c.status);
            assertEquals("v5.channel.k8s.io", c.headers.get("sec-websocket-protocol"));
            assertEquals(Handshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), c.headers.get("sec-websocket-accept"));
            Map<Integer, String> got = c.readChannelsUntilClose();
            assertEquals("hi there\n", got.get(1));
            assertEquals(SUCCESS, got.get(3));
        }
    }

    @Test
    void nonZeroExitIsAFailureStatusWithTheExitCodeCause() throws IOException {
        try (WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?command=err&command=boom&stdout=true"
                + "&stderr=true", "v4.channel.k8s.io, v5.channel.k8s.io")) {
            assertEquals("v5.channel.k8s.io", c.headers.get("sec-websocket-protocol"), "v5 preferred");
            Map<Integer, String> got = c.readChannelsUntilClose();
            assertEquals("boom\n", got.get(2));
            assertEquals("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit "
                    + "code: command 'err boom' exited with 1\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
                    + "[{\"reason\":\"ExitCode\",\"message\":\"1\"}]}}", got.get(3));
        }
    }

    @Test
    void v4StdinReachesTheCommandAndV5CloseStreamEndsIt() throws Exception {
        try (WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?command=cat&stdin=true&stdout=true"
                + "&tty=true", "v5.channel.k8s.io")) {
            c.sendChannel(4, "{\"Width\":120,\"Height\":40}");
            c.sendChannel(0, "line one\n");
            c.sendChannel(0, "line two\n");
            c.send(true, WebSocketFrames.BINARY, new byte[] {(byte) 255, 0});
            Map<Integer, String> got = c.readChannelsUntilClose();
            assertEquals("line one\nline two\n", got.get(1));
            assertEquals(SUCCESS, got.get(3));
            assertEquals(List.of("120x40"), runtime.resizes);
        }
    }

    @Test
    void runtimeFailureIsAFailureStatusNotAHang() throws IOException {
        try (WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?command=nosuch&stdout=true",
                "v4.channel.k8s.io")) {
            assertEquals("v4.channel.k8s.io", c.headers.get("sec-websocket-protocol"));
            String status = c.readChannelsUntilClose().get(3);
            assertTrue(status.contains("\"reason\":\"InternalError\""), status);
            assertTrue(status.contains("exec: \\\"nosuch\\\": executable file not found in $PATH"), status);
        }
    }

    @Test
    void unsupportedOfferIsA400StatusAndMissingCommandToo() throws IOException {
        try (WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?command=echo&stdout=true",
                "base64.channel.k8s.io")) {
            assertEquals(400, c.status);
            assertTrue(c.body.contains("\"kind\":\"Status\"") && c.body.contains("unable to negotiate protocol"), c.body);
        }
        try (WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?stdout=true", "v5.channel.k8s.io")) {
            assertEquals(400, c.status);
            assertTrue(c.body.contains("at least one command"), c.body);
        }
    }

    @Test
    void spdyV4ExecWithStdin() throws Exception {
        WsClient raw = WsClient.spdy(harness.port(), "/exec/ns/p/c1?command=cat&stdin=true&stdout=true&stderr=true",
                "v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io");
        assertEquals(101, raw.status);
        assertEquals("v4.channel.k8s.io", raw.headers.get("x-stream-protocol-version"));
        assertEquals("SPDY/3.1", raw.headers.get("upgrade"));
        try (raw; SpdyClient c = new SpdyClient(raw.in, raw.out)) {
            int error = c.open("streamtype", "error");
            int stdin = c.open("streamtype", "stdin");
            int stdout = c.open("streamtype", "stdout");
            int stderr = c.open("streamtype", "stderr");
            c.await(stderr, s -> s.replied);
            c.send(stdin, "over spdy\n", true);
            assertEquals("over spdy\n", c.await(stdout, s -> s.fin).text());
            assertEquals(SUCCESS, c.await(error, s -> s.fin).text());
            c.await(stderr, s -> s.fin);
            c.awaitControl(f -> f instanceof SpdyFrame.GoAway);
        }
    }

    @Test
    void spdyV4TtyExecTakesResizesFromTheResizeStream() throws Exception {
        WsClient raw = WsClient.spdy(harness.port(), "/exec/ns/p/c1?command=cat&stdin=true&stdout=true&tty=true",
                "v4.channel.k8s.io");
        try (raw; SpdyClient c = new SpdyClient(raw.in, raw.out)) {
            int error = c.open("streamtype", "error");
            int stdin = c.open("streamtype", "stdin");
            int stdout = c.open("streamtype", "stdout");
            int resize = c.open("streamtype", "resize");
            c.send(resize, "{\"Width\":100,\"Height\":30}\n{\"Width\":", false);
            c.send(resize, "101,\"Height\":31}\n", false);
            c.send(stdin, "typed", true);
            assertEquals("typed", c.await(stdout, s -> s.fin).text());
            assertEquals(SUCCESS, c.await(error, s -> s.fin).text());
            long deadline = System.currentTimeMillis() + 30_000; // the resize stream is read on its own thread
            while (!runtime.resizes.contains("101x31") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            // sizes that arrive before the session is up collapse into the latest one
            assertEquals("101x31", runtime.resizes.get(runtime.resizes.size() - 1));
            assertTrue(List.of(List.of("101x31"), List.of("100x30", "101x31")).contains(runtime.resizes),
                    runtime.resizes.toString());
        }
    }

    @Test
    void spdyExecOfAFailingCommandCarriesItsExitCode() throws Exception {
        WsClient raw = WsClient.spdy(harness.port(), "/exec/ns/p/c1?command=exit&command=3&stdout=true",
                "v4.channel.k8s.io");
        try (raw; SpdyClient c = new SpdyClient(raw.in, raw.out)) {
            int error = c.open("streamtype", "error");
            c.open("streamtype", "stdout");
            String status = c.await(error, s -> s.fin).text();
            assertTrue(status.contains("\"reason\":\"NonZeroExitCode\"") && status.contains("\"message\":\"3\""), status);
        }
    }

    @Test
    void attachRelaysStdinToTheContainerAndOutputFromTheSource() throws Exception {
        harness.attachOutput = sink -> {
            byte[] b = "from the log\n".getBytes();
            sink.write(1, b, 0, b.length);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!runtime.attachInput().contains("typed\n") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            // the container ends after it read the input
        };
        try (WsClient c = WsClient.websocket(harness.port(), "/attach/ns/p/c1?stdin=true&stdout=true&tty=true",
                "v5.channel.k8s.io")) {
            c.sendChannel(0, "typed\n");
            Map<Integer, String> got = c.readChannelsUntilClose();
            assertEquals("from the log\n", got.get(1));
            assertEquals(SUCCESS, got.get(3));
            assertEquals("typed\n", runtime.attachInput());
        }
    }
}
