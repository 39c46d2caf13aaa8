package io.capstan.node.stream;

import io.capstan.node.stream.SpdyFrame.Data;
import io.capstan.node.stream.SpdyFrame.GoAway;
import io.capstan.node.stream.SpdyFrame.Headers;
import io.capstan.node.stream.SpdyFrame.Ping;
import io.capstan.node.stream.SpdyFrame.RstStream;
import io.capstan.node.stream.SpdyFrame.Setting;
import io.capstan.node.stream.SpdyFrame.Settings;
import io.capstan.node.stream.SpdyFrame.SynReply;
import io.capstan.node.stream.SpdyFrame.SynStream;
import io.capstan.node.stream.SpdyFrame.Unknown;
import io.capstan.node.stream.SpdyFrame.WindowUpdate;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes SPDY/3.1 frames: control frames ({@code 1 | version 3 | type | flags | 24-bit
 * length}) and data frames ({@code 0 | stream id | flags | 24-bit length}), with one header
 * compression context per direction. Writes are serialised; one thread reads.
 */
final class SpdyFramer {
    static final int VERSION = 3;
    static final int MAX_FRAME = (1 << 24) - 1;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final SpdyHeaderBlock headers = new SpdyHeaderBlock();

    SpdyFramer(InputStream in, OutputStream out) {
        this.in = new DataInputStream(in);
        this.out = new DataOutputStream(out);
    }

    /** The next frame, or {@code null} at end of stream between frames. */
    SpdyFrame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int word = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int flagsLength = in.readInt();
        int flags = flagsLength >>> 24;
        int length = flagsLength & 0xffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if ((word & 0x80000000) == 0) {
            return new Data(word & 0x7fffffff, flags, payload);
        }
        int version = (word >>> 16) & 0x7fff;
        int type = word & 0xffff;
        if (version != VERSION) {
            throw new IOException("unsupported SPDY version " + version);
        }
        DataInputStream p = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        try {
            return switch (type) {
                case SpdyFrame.TYPE_SYN_STREAM -> {
                    int id = p.readInt() & 0x7fffffff;
                    int assoc = p.readInt() & 0x7fffffff;
                    int priority = p.readUnsignedByte() >>> 5;
                    p.readUnsignedByte(); // slot
                    yield new SynStream(id, assoc, priority, flags, headers.decompress(p.readAllBytes()));
                }
                case SpdyFrame.TYPE_SYN_REPLY -> {
                    int id = p.readInt() & 0x7fffffff;
                    yield new SynReply(id, flags, headers.decompress(p.readAllBytes()));
                }
                case SpdyFrame.TYPE_HEADERS -> {
                    int id = p.readInt() & 0x7fffffff;
                    yield new Headers(id, flags, headers.decompress(p.readAllBytes()));
                }
                case SpdyFrame.TYPE_RST_STREAM -> new RstStream(p.readInt() & 0x7fffffff, p.readInt());
                case SpdyFrame.TYPE_SETTINGS -> {
                    int n = p.readInt();
                    List<Setting> entries = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        int flagId = p.readInt();
                        entries.add(new Setting(flagId >>> 24, flagId & 0xffffff, p.readInt()));
                    }
                    yield new Settings(flags, entries);
                }
                case SpdyFrame.TYPE_PING -> new Ping(p.readInt());
                case SpdyFrame.TYPE_GOAWAY -> new GoAway(p.readInt() & 0x7fffffff, length >= 8 ? p.readInt() : 0);
                case SpdyFrame.TYPE_WINDOW_UPDATE -> new WindowUpdate(p.readInt() & 0x7fffffff, p.readInt() & 0x7fffffff);
                default -> new Unknown(type, flags, payload);
            };
        } catch (EOFException e) {
            throw new IOException("truncated SPDY control frame of type " + type, e);
        }
    }

    /** Writes one frame and flushes. */
    synchronized void write(SpdyFrame frame) throws IOException {
        if (frame instanceof Data d) {
            out.writeInt(d.streamId() & 0x7fffffff);
            out.writeInt((d.flags() << 24) | d.data().length);
            out.write(d.data());
        } else if (frame instanceof SynStream s) {
            byte[] block = headers.compress(s.headers());
            control(SpdyFrame.TYPE_SYN_STREAM, s.flags(), 10 + block.length);
            out.writeInt(s.streamId());
            out.writeInt(s.associatedId());
            out.writeByte(s.priority() << 5);
            out.writeByte(0);
            out.write(block);
        } else if (frame instanceof SynReply r) {
            byte[] block = headers.compress(r.headers());
            control(SpdyFrame.TYPE_SYN_REPLY, r.flags(), 4 + block.length);
            out.writeInt(r.streamId());
            out.write(block);
        } else if (frame instanceof Headers h) {
            byte[] block = headers.compress(h.headers());
            control(SpdyFrame.TYPE_HEADERS, h.flags(), 4 + block.length);
            out.writeInt(h.streamId());
            out.write(block);
        } else if (frame instanceof RstStream r) {
            control(SpdyFrame.TYPE_RST_STREAM, 0, 8);
            out.writeInt(r.streamId());
            out.writeInt(r.status());
        } else if (frame instanceof Settings s) {
            control(SpdyFrame.TYPE_SETTINGS, s.flags(), 4 + 8 * s.entries().size());
            out.writeInt(s.entries().size());
            for (Setting e : s.entries()) {
                out.writeInt((e.flags() << 24) | e.id());
                out.writeInt(e.value());
            }
        } else if (frame instanceof Ping p) {
            control(SpdyFrame.TYPE_PING, 0, 4);
            out.writeInt(p.id());
        } else if (frame instanceof GoAway g) {
            control(SpdyFrame.TYPE_GOAWAY, 0, 8);
            out.writeInt(g.lastGoodStreamId());
            out.writeInt(g.status());
        } else if (frame instanceof WindowUpdate w) {
            control(SpdyFrame.TYPE_WINDOW_UPDATE, 0, 8);
            out.writeInt(w.streamId());
            out.writeInt(w.delta());
        } else if (frame instanceof Unknown u) {
            control(u.type(), u.flags(), u.payload().length);
            out.write(u.payload());
        }
        out.flush();
    }

    private void control(int type, int flags, int length) throws IOException {
        out.writeShort(0x8000 | VERSION);
        out.writeShort(type);
        out.writeInt((flags << 24) | length);
    }

    /** Releases the compression contexts. */
    void end() {
        headers.end();
    }
}
