package io.capstan.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void spdyTakesTheClientsOrderAndSkipsV5SeparateHeaderLinesToo() throws Exception {
        StreamRequest req = request("spdy/3.1", Map.of("x-stream-protocol-version",
                List.of("v5.channel.k8s.io", "v3.channel.k8s.io, v4.channel.k8s.io")));
        assertEquals(new Handshake.Choice(Handshake.Transport.SPDY, "v3.channel.k8s.io"), Handshake.command(req));
        assertEquals(new Handshake.Choice(Handshake.Transport.SPDY, "channel.k8s.io"),
                Handshake.command(request("SPDY/3.1", Map.of())), "no offer = v1, as kubelet");
    }

    @Test
    void websocketPrefersV5AndRefusesWhatItDoesNotSpeak() throws Exception {
        Map<String, List<String>> h = Map.of("sec-websocket-protocol", List.of("v4.channel.k8s.io,v5.channel.k8s.io"));
        assertEquals("v5.channel.k8s.io", Handshake.command(request("websocket", h)).protocol());
        Handshake.Refused refused = assertThrows(Handshake.Refused.class, () -> Handshake.portForward(request("websocket", h)));
        assertTrue(refused.getMessage().contains("SPDY/3.1+portforward.k8s.io"), refused.getMessage());
        assertThrows(Handshake.Refused.class, () -> Handshake.command(new StreamRequest("GET", "/exec/a/b/c",
                Map.of(), Map.of())), "no upgrade at all");
    }

    @Test
    void refusedUpgradeIsA400KubernetesStatus() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Handshake.refuse(out, 400, "BadRequest", "say \"why\"");
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("HTTP/1.1 400 Bad Request\r\n"), text);
        assertTrue(text.endsWith("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"say \\\"why\\\"\",\"reason\":\"BadRequest\",\"code\":400}"), text);
    }

    @Test
    void flagsParseLikeGo() {
        StreamRequest req = new StreamRequest("GET", "/", Map.of("a", List.of("True"), "b", List.of("1"),
                "c", List.of("yes"), "d", List.of("")), Map.of());
        assertTrue(req.flag("a"));
        assertTrue(req.flag("b"));
        assertFalse(req.flag("c"));
        assertFalse(req.flag("d"));
        assertFalse(req.flag("missing"));
    }

    @Test
    void portForwardPairMissingItsDataStreamTimesOut() throws Exception {
        StreamOptions options = new StreamOptions(Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
        try (StreamHarness harness = new StreamHarness(new StreamServer(new StreamRuntime(), options))) {
            WsClient raw = WsClient.spdy(harness.port(), "/portForward/ns/web", "portforward.k8s.io");
            try (raw; SpdyClient c = new SpdyClient(raw.in, raw.out)) {
                int error = c.open("streamtype", "error", "port", "80", "requestid", "5");
                assertEquals("timed out waiting for streams of request 5", c.await(error, s -> s.fin).text());
            }
        }
    }

    private static StreamRequest request(String upgrade, Map<String, List<String>> extra) {
        Map<String, List<String>> h = new LinkedHashMap<>(extra);
        h.put("connection", List.of("Upgrade"));
        h.put("upgrade", List.of(upgrade));
        h.put("sec-websocket-key", List.of("dGhlIHNhbXBsZSBub25jZQ=="));
        h.put("sec-websocket-version", List.of("13"));
        return new StreamRequest("GET", "/exec/ns/p/c", Map.of(), h);
    }
}
