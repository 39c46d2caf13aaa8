package io.capstan.node.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers one query message: names of the cluster zone (and reverse names of cluster addresses)
 * from the current {@link ZoneSnapshot}, authoritatively; everything else through the
 * {@link Forwarder}, SERVFAIL when no upstream answers. Malformed queries get FORMERR when their
 * header can be read and are dropped otherwise; responses are never answered.
 */
final class DnsHandler {
    /** What this server advertises in its EDNS OPT record. */
    static final int EDNS_UDP_SIZE = 1232;

    private final Supplier<ZoneSnapshot> zone;
    private final Forwarder forwarder;

    DnsHandler(Supplier<ZoneSnapshot> zone, Forwarder forwarder) {
        this.zone = zone;
        this.forwarder = forwarder;
    }

    /**
     * The response to the query in {@code buf[0..length)}, at most {@code limit} bytes on UDP (the
     * larger of 512 and the client's EDNS size) or unlimited on TCP; null to send nothing.
     */
    byte[] handle(byte[] buf, int length, boolean tcp) {
        DnsMessage query;
        try {
            query = DnsMessage.decode(buf, length);
        } catch (DnsFormatException e) {
            return length >= 12 && (buf[2] & 0x80) == 0 ? formErr(buf) : null;
        }
        if (query.isResponse()) {
            return null;
        }
        int limit = tcp ? 65535 : query.udpPayloadSize();
        List<DnsRecord> opt = query.hasEdns()
                ? List.of(new DnsRecord("", DnsRecord.OPT, EDNS_UDP_SIZE, 0, new DnsRecord.Raw(DnsRecord.OPT, new byte[0])))
                : List.of();
        if (query.opcode() != 0) {
            return query.reply(DnsMessage.NOTIMP, false, List.of(), List.of(), opt).encode(limit);
        }
        if (query.questions().size() != 1) {
            return query.reply(DnsMessage.FORMERR, false, List.of(), List.of(), opt).encode(limit);
        }
        Optional<ZoneSnapshot.Answer> answer = zone.get().lookup(query.questions().get(0));
        if (answer.isPresent()) {
            ZoneSnapshot.Answer a = answer.get();
            List<DnsRecord> additional = new ArrayList<>(a.additional());
            additional.addAll(opt);
            return query.reply(a.rcode(), true, a.answers(), a.authority(), additional).encode(limit);
        }
        Optional<byte[]> forwarded = forwarder.forward(Arrays.copyOf(buf, length), query);
        if (forwarded.isEmpty()) {
            return query.reply(DnsMessage.SERVFAIL, false, List.of(), List.of(), opt).encode(limit);
        }
        byte[] raw = forwarded.get();
        if (raw.length > limit) {
            // Too large for the client's UDP size: header and question with TC; the client retries on TCP.
            return truncated(query, opt, limit);
        }
        return raw;
    }

    private static byte[] truncated(DnsMessage query, List<DnsRecord> opt, int limit) {
        DnsMessage reply = query.reply(DnsMessage.NOERROR, false, List.of(), List.of(), opt);
        return new DnsMessage(reply.id(), reply.flags() | DnsMessage.TC, reply.questions(), List.of(), List.of(), opt)
                .encode(limit);
    }

    private static byte[] formErr(byte[] buf) {
        byte[] out = new byte[12];
        out[0] = buf[0];
        out[1] = buf[1];
        out[2] = (byte) (0x80 | (buf[2] & 0x79));
        out[3] = (byte) (0x80 | DnsMessage.FORMERR);
        return out;
    }
}
