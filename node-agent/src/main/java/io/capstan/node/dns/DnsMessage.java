package io.capstan.node.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * A DNS message (RFC 1035 section 4): header flags, questions and the three record sections.
 * {@link #decode} reads a message from the wire; {@link #encode(int)} writes it, with name
 * compression, and when the result would exceed the size limit writes only the header and
 * questions with the TC bit set, so the client retries over TCP.
 */
public record DnsMessage(int id, int flags, List<Question> questions, List<DnsRecord> answers,
        List<DnsRecord> authority, List<DnsRecord> additional) {

    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;

    static final int QR = 0x8000;
    static final int AA = 0x0400;
    static final int TC = 0x0200;
    static final int RD = 0x0100;
    static final int RA = 0x0080;

    /** One question: name (no trailing dot), type and class. */
    public record Question(String name, int type, int dnsClass) {}

    public DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    /** A recursion-desired query for {@code name} and {@code type}, class IN. */
    public static DnsMessage query(int id, String name, int type) {
        return new DnsMessage(id, RD, List.of(new Question(DnsRecord.canonical(name), type, DnsRecord.IN)),
                List.of(), List.of(), List.of());
    }

    public boolean isResponse() {
        return (flags & QR) != 0;
    }

    public int opcode() {
        return (flags >> 11) & 0xf;
    }

    public boolean authoritative() {
        return (flags & AA) != 0;
    }

    public boolean truncated() {
        return (flags & TC) != 0;
    }

    public boolean recursionDesired() {
        return (flags & RD) != 0;
    }

    public int rcode() {
        return flags & 0xf;
    }

    /** The UDP payload size the sender advertised in an EDNS OPT record, or 512 without one. */
    public int udpPayloadSize() {
        for (DnsRecord r : additional) {
            if (r.type() == DnsRecord.OPT) {
                return Math.max(512, r.dnsClass());
            }
        }
        return 512;
    }

    public boolean hasEdns() {
        return additional.stream().anyMatch(r -> r.type() == DnsRecord.OPT);
    }

    public static DnsMessage decode(byte[] bytes) {
        return decode(bytes, bytes.length);
    }

    public static DnsMessage decode(byte[] bytes, int length) {
        WireReader r = new WireReader(bytes, length);
        int id = r.u16();
        int flags = r.u16();
        int qd = r.u16();
        int an = r.u16();
        int ns = r.u16();
        int ar = r.u16();
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < qd; i++) {
            questions.add(new Question(r.name(), r.u16(), r.u16()));
        }
        return new DnsMessage(id, flags, questions, records(r, an), records(r, ns), records(r, ar));
    }

    private static List<DnsRecord> records(WireReader r, int n) {
        List<DnsRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(r.record());
        }
        return out;
    }

    /** The whole message, however long. */
    public byte[] encode() {
        return encode(Integer.MAX_VALUE);
    }

    /**
     * The message in at most {@code limit} bytes: when it does not fit, the header and questions
     * (plus the OPT record, if any) with TC set and no other records.
     */
    public byte[] encode(int limit) {
        byte[] full = write(flags, answers, authority, additional);
        if (full.length <= limit) {
            return full;
        }
        List<DnsRecord> opt = additional.stream().filter(r -> r.type() == DnsRecord.OPT).toList();
        return write(flags | TC, List.of(), List.of(), opt);
    }

    private byte[] write(int f, List<DnsRecord> an, List<DnsRecord> ns, List<DnsRecord> ar) {
        WireWriter w = new WireWriter();
        w.u16(id);
        w.u16(f);
        w.u16(questions.size());
        w.u16(an.size());
        w.u16(ns.size());
        w.u16(ar.size());
        for (Question q : questions) {
            w.name(q.name(), true);
            w.u16(q.type());
            w.u16(q.dnsClass());
        }
        an.forEach(w::record);
        ns.forEach(w::record);
        ar.forEach(w::record);
        return w.toByteArray();
    }

    /** A response to this query: same id, opcode, RD and questions; QR and RA set. */
    public DnsMessage reply(int rcode, boolean authoritative, List<DnsRecord> answers, List<DnsRecord> authority,
            List<DnsRecord> additional) {
        int f = QR | RA | (flags & 0x7800) | (flags & RD) | (authoritative ? AA : 0) | (rcode & 0xf);
        return new DnsMessage(id, f, questions, answers, authority, additional);
    }

    /** This message with another id (forwarded answers go back under the client's id). */
    public DnsMessage withId(int newId) {
        return new DnsMessage(newId, flags, questions, answers, authority, additional);
    }
}
