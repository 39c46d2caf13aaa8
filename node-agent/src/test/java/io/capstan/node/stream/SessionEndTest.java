package io.capstan.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sessions never hang: a client that goes away kills the command, an idle session is closed. */
class SessionEndTest {

    @Test
    void clientDisconnectKillsTheRunningCommand() throws Exception {
        StreamRuntime runtime = new StreamRuntime();
        try (StreamHarness harness = new StreamHarness(new StreamServer(runtime))) {
            WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?command=sleep&stdout=true",
                    "v5.channel.k8s.io");
            assertEquals(101, c.status);
            assertEquals(WebSocketFrames.BINARY, c.read().opcode(), "the empty 'session is up' message");
            c.close();
            await(() -> runtime.execsClosed.get() == 1);
        }
    }

    @Test
    void idleSessionIsClosed() throws Exception {
        StreamRuntime runtime = new StreamRuntime();
        StreamOptions options = new StreamOptions(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
        try (StreamHarness harness = new StreamHarness(new StreamServer(runtime, options));
                WsClient c = WsClient.websocket(harness.port(), "/exec/ns/p/c1?command=sleep&stdout=true",
                        "v5.channel.k8s.io")) {
            c.read(); // the 'session is up' message
            WebSocketFrames.Frame f;
            try {
                while ((f = c.read()) != null && f.opcode() != WebSocketFrames.CLOSE) {
                    // drain until the server closes
                }
            } catch (IOException closed) {
                f = null;
            }
            assertTrue(f == null || f.opcode() == WebSocketFrames.CLOSE);
            await(() -> runtime.execsClosed.get() == 1);
        }
    }

    @Test
    void spdyClientThatNeverOpensItsStreamsIsDropped() throws Exception {
        StreamRuntime runtime = new StreamRuntime();
        StreamOptions options = new StreamOptions(Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
        try (StreamHarness harness = new StreamHarness(new StreamServer(runtime, options));
                WsClient raw = WsClient.spdy(harness.port(), "/exec/ns/p/c1?command=echo&stdout=true",
                        "v4.channel.k8s.io")) {
            assertEquals(101, raw.status);
            int b;
            try {
                b = raw.in.read();
            } catch (IOException e) {
                b = -1;
            }
            assertEquals(-1, b, "the server closed the connection");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in 30 s");
            }
            Thread.sleep(20);
        }
    }
}
