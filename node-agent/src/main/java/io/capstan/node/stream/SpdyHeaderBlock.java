package io.capstan.node.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * SPDY/3 header blocks: a count then (name, value) pairs with 32-bit lengths, multiple values
 * NUL-separated, compressed with zlib and the SPDY dictionary. Each direction of a connection is
 * one zlib stream: one {@link Deflater} for what we send (flushed with SYNC_FLUSH after each block)
 * and one {@link Inflater} for what we receive; neither is ever reset.
 */
final class SpdyHeaderBlock {
    private static final int MAX_BLOCK = 1 << 20;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    private final Inflater inflater = new Inflater();

    SpdyHeaderBlock() {
        deflater.setDictionary(SpdyDictionary.bytes());
    }

    /** Encodes and compresses a header block. */
    synchronized byte[] compress(Map<String, List<String>> headers) {
        byte[] raw = encode(headers);
        deflater.setInput(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 16);
        byte[] buf = new byte[Math.max(64, raw.length + 64)];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        return out.toByteArray();
    }

    /** Decompresses and decodes a header block. */
    synchronized Map<String, List<String>> decompress(byte[] block) throws IOException {
        inflater.setInput(block);
        ByteArrayOutputStream out = new ByteArrayOutputStream(block.length * 3 + 16);
        byte[] buf = new byte[4096];
        try {
            while (true) {
                int n = inflater.inflate(buf);
                if (n > 0) {
                    out.write(buf, 0, n);
                    if (out.size() > MAX_BLOCK) {
                        throw new IOException("SPDY header block too large");
                    }
                } else if (inflater.needsDictionary()) {
                    inflater.setDictionary(SpdyDictionary.bytes());
                } else {
                    break;
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("bad SPDY header block: " + e.getMessage(), e);
        }
        return decode(out.toByteArray());
    }

    /** The uncompressed form. */
    static byte[] encode(Map<String, List<String>> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, headers.size());
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            byte[] name = e.getKey().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            byte[] value = String.join("\0", e.getValue()).getBytes(StandardCharsets.UTF_8);
            writeInt(out, name.length);
            out.writeBytes(name);
            writeInt(out, value.length);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    /** Parses the uncompressed form; names are lower-cased, repeated names merged. */
    static Map<String, List<String>> decode(byte[] raw) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(raw);
        try {
            int count = b.getInt();
            if (count < 0 || count > raw.length / 8 + 1) {
                throw new IOException("bad SPDY header count " + count);
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = string(b).toLowerCase(Locale.ROOT);
                String value = string(b);
                headers.computeIfAbsent(name, k -> new ArrayList<>()).addAll(Arrays.asList(value.split("\0", -1)));
            }
            return headers;
        } catch (RuntimeException e) {
            throw new IOException("truncated SPDY header block", e);
        }
    }

    private static String string(ByteBuffer b) {
        int len = b.getInt();
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** Releases the zlib contexts. */
    synchronized void end() {
        deflater.end();
        inflater.end();
    }
}
