package io.capstan.node.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

class SpdyFramerTest {

    @Test
    void dictionaryIsTheSpdy3One() {
        byte[] d = SpdyDictionary.bytes();
        assertEquals(1423, d.length);
        Adler32 adler = new Adler32();
        adler.update(d);
        assertEquals(0xe3c6a7c2L, adler.getValue());
    }

    @Test
    void headerBlocksRoundTripThroughOneCompressionContextPerDirection() throws IOException {
        SpdyHeaderBlock sender = new SpdyHeaderBlock();
        SpdyHeaderBlock receiver = new SpdyHeaderBlock();
        for (int i = 0; i < 5; i++) {
            Map<String, List<String>> h = new LinkedHashMap<>();
            h.put("streamtype", List.of(i % 2 == 0 ? "data" : "error"));
            h.put("port", List.of("8080"));
            h.put("requestid", List.of(Integer.toString(i)));
            h.put("multi", List.of("a", "b"));
            byte[] block = sender.compress(h);
            assertEquals(h, receiver.decompress(block));
        }
        // the first block names the dictionary (zlib FDICT) and later ones reuse the stream
        assertEquals(0x20, new SpdyHeaderBlock().compress(Map.of())[1] & 0x20);
    }

    @Test
    void uncompressedBlockLayout() throws IOException {
        byte[] raw = SpdyHeaderBlock.encode(Map.of("port", List.of("80")));
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 4, 'p', 'o', 'r', 't', 0, 0, 0, 2, '8', '0'}, raw);
        assertEquals(Map.of("port", List.of("80")), SpdyHeaderBlock.decode(raw));
    }

    @Test
    void everyFrameTypeRoundTrips() throws IOException {
        List<SpdyFrame> frames = List.of(
                new SpdyFrame.SynStream(1, 0, 3, SpdyFrame.FLAG_FIN, Map.of("streamtype", List.of("error"))),
                new SpdyFrame.SynReply(1, 0, Map.of()),
                new SpdyFrame.RstStream(3, SpdyFrame.RST_CANCEL),
                new SpdyFrame.Settings(0, List.of(new SpdyFrame.Setting(0, SpdyFrame.SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20))),
                new SpdyFrame.Ping(7),
                new SpdyFrame.GoAway(5, 0),
                new SpdyFrame.Headers(1, 0, Map.of("x", List.of("y"))),
                new SpdyFrame.WindowUpdate(0, 32768));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SpdyFramer writer = new SpdyFramer(InputStream.nullInputStream(), wire);
        for (SpdyFrame f : frames) {
            writer.write(f);
        }
        writer.write(new SpdyFrame.Data(5, SpdyFrame.FLAG_FIN, "hello".getBytes(StandardCharsets.UTF_8)));
        byte[] bytes = wire.toByteArray();
        assertEquals(0x80, bytes[0] & 0xff, "control bit");
        assertEquals(3, bytes[1], "version 3");
        SpdyFramer reader = new SpdyFramer(new ByteArrayInputStream(bytes), OutputStream());
        for (SpdyFrame f : frames) {
            assertEquals(f, reader.read());
        }
        SpdyFrame.Data d = (SpdyFrame.Data) reader.read();
        assertEquals(5, d.streamId());
        assertEquals(SpdyFrame.FLAG_FIN, d.flags());
        assertEquals("hello", new String(d.data(), StandardCharsets.UTF_8));
        assertNull(reader.read());
    }

    private static java.io.OutputStream OutputStream() {
        return java.io.OutputStream.nullOutputStream();
    }
}
