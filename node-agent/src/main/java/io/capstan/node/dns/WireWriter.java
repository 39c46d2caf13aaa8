package io.capstan.node.dns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Writes DNS wire format, compressing names (RFC 1035 4.1.4) against names written before. */
public final class WireWriter {
    private byte[] buf = new byte[512];
    private int len;
    private final Map<String, Integer> offsets = new HashMap<>();

    public int size() {
        return len;
    }

    public void u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    public void u16(int v) {
        u8(v >> 8);
        u8(v);
    }

    public void u32(long v) {
        u16((int) (v >> 16) & 0xffff);
        u16((int) v & 0xffff);
    }

    public void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** Overwrites the 16-bit value at {@code at} (an RDLENGTH written before the data). */
    public void putU16(int at, int v) {
        buf[at] = (byte) (v >> 8);
        buf[at + 1] = (byte) v;
    }

    /**
     * Writes {@code name} (no trailing dot; "" is the root); with {@code compress}, a suffix written
     * before becomes a pointer. Every suffix written here may be pointed to later.
     */
    public void name(String name, boolean compress) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        while (!n.isEmpty()) {
            String key = DnsRecord.canonical(n);
            Integer at = offsets.get(key);
            if (compress && at != null) {
                u16(0xc000 | at);
                return;
            }
            if (len < 0x4000) {
                offsets.putIfAbsent(key, len);
            }
            int dot = n.indexOf('.');
            String label = dot < 0 ? n : n.substring(0, dot);
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            if (b.length == 0 || b.length > 63) {
                throw new IllegalArgumentException("bad label in name " + name);
            }
            u8(b.length);
            bytes(b);
            n = dot < 0 ? "" : n.substring(dot + 1);
        }
        u8(0);
    }

    /** Writes a whole record; the RDLENGTH is filled in after the data. */
    public void record(DnsRecord r) {
        name(r.name(), true);
        u16(r.type());
        u16(r.dnsClass());
        u32(r.ttl());
        int lengthAt = len;
        u16(0);
        r.data().write(this);
        putU16(lengthAt, len - lengthAt - 2);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
