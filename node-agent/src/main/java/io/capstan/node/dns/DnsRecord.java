package io.capstan.node.dns;

import java.util.Arrays;
import java.util.Locale;

/**
 * One resource record: owner name (without the trailing dot), type, class IN, TTL and typed data.
 * {@link Opt} pseudo-records (EDNS) keep the advertised UDP size in the class field.
 */
public record DnsRecord(String name, int type, int dnsClass, long ttl, Data data) {
    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int AAAA = 28;
    public static final int SRV = 33;
    public static final int OPT = 41;
    public static final int ANY = 255;
    public static final int IN = 1;

    /** A record of class IN. */
    public static DnsRecord of(String name, long ttl, Data data) {
        return new DnsRecord(name, data.type(), IN, ttl, data);
    }

    /** This record with owner {@code owner} (answers echo the question's spelling). */
    public DnsRecord withName(String owner) {
        return new DnsRecord(owner, type, dnsClass, ttl, data);
    }

    /** Record data; writes itself in wire format. */
    public sealed interface Data permits Address, NameData, Srv, Soa, Raw {
        int type();

        void write(WireWriter w);
    }

    /** A (4 bytes) or AAAA (16 bytes). */
    public record Address(byte[] address) implements Data {
        public int type() {
            return address.length == 4 ? A : AAAA;
        }

        public void write(WireWriter w) {
            w.bytes(address);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Address a && Arrays.equals(address, a.address);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(address);
        }

        @Override
        public String toString() {
            return Addresses.format(address);
        }
    }

    /** CNAME, PTR or NS: a single (compressible) domain name. */
    public record NameData(int type, String target) implements Data {
        public void write(WireWriter w) {
            w.name(target, true);
        }
    }

    /** SRV (RFC 2782); the target is written uncompressed, as the RFC asks. */
    public record Srv(int priority, int weight, int port, String target) implements Data {
        public int type() {
            return SRV;
        }

        public void write(WireWriter w) {
            w.u16(priority);
            w.u16(weight);
            w.u16(port);
            w.name(target, false);
        }
    }

    /** SOA. */
    public record Soa(String mname, String rname, long serial, long refresh, long retry, long expire, long minimum)
            implements Data {
        public int type() {
            return SOA;
        }

        public void write(WireWriter w) {
            w.name(mname, true);
            w.name(rname, true);
            w.u32(serial);
            w.u32(refresh);
            w.u32(retry);
            w.u32(expire);
            w.u32(minimum);
        }
    }

    /** Data of any other type, kept as bytes (OPT options, TXT, ...). */
    public record Raw(int type, byte[] bytes) implements Data {
        public void write(WireWriter w) {
            w.bytes(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && type == r.type && Arrays.equals(bytes, r.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(bytes);
        }
    }

    /** Lower case, no trailing dot: the key names are compared by. */
    public static String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public String toString() {
        return name + ". " + ttl + " " + type + " " + data;
    }
}
