package io.capstan.node.dns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads DNS wire format, following compression pointers; malformed input raises {@link DnsFormatException}. */
final class WireReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    WireReader(byte[] buf, int length) {
        this.buf = buf;
        this.end = length;
    }

    int position() {
        return pos;
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    int u16() {
        return (u8() << 8) | u8();
    }

    long u32() {
        return ((long) u16() << 16) | u16();
    }

    byte[] bytes(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    /** A name at the current position, without the trailing dot ("" for the root). */
    String name() {
        StringBuilder sb = new StringBuilder();
        int p = pos;
        int jumps = 0;
        boolean jumped = false;
        while (true) {
            if (p >= end) {
                throw new DnsFormatException("name runs past the message");
            }
            int l = buf[p] & 0xff;
            if ((l & 0xc0) == 0xc0) {
                if (p + 1 >= end) {
                    throw new DnsFormatException("truncated pointer");
                }
                int target = ((l & 0x3f) << 8) | (buf[p + 1] & 0xff);
                if (!jumped) {
                    pos = p + 2;
                    jumped = true;
                }
                if (++jumps > 64 || target >= end) {
                    throw new DnsFormatException("compression loop or bad pointer");
                }
                p = target;
                continue;
            }
            if ((l & 0xc0) != 0) {
                throw new DnsFormatException("unsupported label type");
            }
            if (l == 0) {
                if (!jumped) {
                    pos = p + 1;
                }
                break;
            }
            if (p + 1 + l > end) {
                throw new DnsFormatException("label runs past the message");
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(buf, p + 1, l, StandardCharsets.US_ASCII));
            if (sb.length() > 255) {
                throw new DnsFormatException("name too long");
            }
            p += 1 + l;
        }
        return sb.toString();
    }

    /** A whole record; data of types this codec knows is decoded, other data kept raw. */
    DnsRecord record() {
        String name = name();
        int type = u16();
        int cls = u16();
        long ttl = u32();
        int rdlength = u16();
        need(rdlength);
        int dataEnd = pos + rdlength;
        DnsRecord.Data data = switch (type) {
            case DnsRecord.A, DnsRecord.AAAA -> new DnsRecord.Address(bytes(rdlength));
            case DnsRecord.CNAME, DnsRecord.PTR, DnsRecord.NS -> new DnsRecord.NameData(type, name());
            case DnsRecord.SRV -> new DnsRecord.Srv(u16(), u16(), u16(), name());
            case DnsRecord.SOA -> new DnsRecord.Soa(name(), name(), u32(), u32(), u32(), u32(), u32());
            default -> new DnsRecord.Raw(type, bytes(rdlength));
        };
        if (pos != dataEnd) {
            throw new DnsFormatException("record data length mismatch for type " + type);
        }
        return new DnsRecord(name, type, cls, ttl, data);
    }

    private void need(int n) {
        if (pos + n > end) {
            throw new DnsFormatException("message truncated");
        }
    }
}
