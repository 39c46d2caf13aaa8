package io.capstan.node.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {

    @Test
    void acceptKeyMatchesTheRfc6455Example() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void framesRoundTripAtEveryLengthEncodingMaskedAndNot() throws IOException {
        Random random = new Random(7);
        for (int len : new int[] {0, 1, 125, 126, 127, 65535, 65536, 200_000}) {
            byte[] payload = new byte[len];
            random.nextBytes(payload);
            for (byte[] mask : new byte[][] {null, {1, 2, 3, 4}}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                WebSocketFrames.write(out, true, WebSocketFrames.BINARY, mask, payload);
                byte[] wire = out.toByteArray();
                assertEquals(mask != null, (wire[1] & 0x80) != 0);
                WebSocketFrames.Frame f = WebSocketFrames.read(new ByteArrayInputStream(wire), 1 << 20);
                assertTrue(f.fin());
                assertEquals(WebSocketFrames.BINARY, f.opcode());
                assertArrayEquals(payload, f.payload(), "length " + len);
            }
        }
    }

    @Test
    void maskedFrameOnTheWireIsNotThePlainPayload() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketFrames.write(out, true, WebSocketFrames.TEXT, new byte[] {0x37, (byte) 0xfa, 0x21, 0x3d},
                "Hello".getBytes(StandardCharsets.US_ASCII));
        // RFC 6455 section 5.7: a masked "Hello"
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f,
                0x4d, 0x51, 0x58}, out.toByteArray());
    }

    @Test
    void connectionReassemblesFragmentsAnswersPingsInBetweenAndEchoesClose() throws IOException {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        byte[] mask = {9, 8, 7, 6};
        WebSocketFrames.write(client, false, WebSocketFrames.BINARY, mask, bytes("hel"));
        WebSocketFrames.write(client, true, WebSocketFrames.PING, mask, bytes("p1"));
        WebSocketFrames.write(client, false, WebSocketFrames.CONTINUATION, mask, bytes("lo "));
        WebSocketFrames.write(client, true, WebSocketFrames.CONTINUATION, mask, bytes("world"));
        WebSocketFrames.write(client, true, WebSocketFrames.CLOSE, mask, WebSocketFrames.closePayload(1000, ""));
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        WebSocketConnection ws = new WebSocketConnection(new ByteArrayInputStream(client.toByteArray()), server,
                Idle.none());

        WebSocketConnection.Message m = ws.readMessage();
        assertEquals(WebSocketFrames.BINARY, m.opcode());
        assertEquals("hello world", new String(m.data(), StandardCharsets.UTF_8));
        assertNull(ws.readMessage());

        ByteArrayInputStream sent = new ByteArrayInputStream(server.toByteArray());
        WebSocketFrames.Frame pong = WebSocketFrames.read(sent, 1000);
        assertEquals(WebSocketFrames.PONG, pong.opcode());
        assertEquals("p1", new String(pong.payload(), StandardCharsets.UTF_8));
        byte[] raw = server.toByteArray();
        assertFalse((raw[1] & 0x80) != 0, "server frames are not masked");
        WebSocketFrames.Frame close = WebSocketFrames.read(sent, 1000);
        assertEquals(WebSocketFrames.CLOSE, close.opcode());
        assertEquals(1000, ((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff));
    }

    @Test
    void continuationWithoutAMessageIsAProtocolError() throws IOException {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        WebSocketFrames.write(client, true, WebSocketFrames.CONTINUATION, new byte[] {1, 1, 1, 1}, bytes("x"));
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        WebSocketConnection ws = new WebSocketConnection(new ByteArrayInputStream(client.toByteArray()), server,
                Idle.none());
        assertNull(ws.readMessage());
        WebSocketFrames.Frame close = WebSocketFrames.read(new ByteArrayInputStream(server.toByteArray()), 1000);
        assertEquals(1002, ((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
