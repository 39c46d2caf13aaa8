package io.capstan.node.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire codec: RFC 1035 layout, name compression, truncation, malformed input. */
class DnsMessageTest {

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void queryIsWrittenAsRfc1035Lays() {
        byte[] wire = DnsMessage.query(0x1234, "Example.COM.", DnsRecord.A).encode();
        assertArrayEquals(bytes(0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1), wire);
    }

    @Test
    void answerNamesAreCompressedAgainstTheQuestion() {
        DnsMessage q = DnsMessage.query(7, "web.ns.svc.cluster.local", DnsRecord.SRV);
        DnsMessage r = q.reply(DnsMessage.NOERROR, true, List.of(
                DnsRecord.of("web.ns.svc.cluster.local", 5, new DnsRecord.NameData(DnsRecord.CNAME, "db.ns.svc.cluster.local"))),
                List.of(), List.of());
        byte[] wire = r.encode();
        int answerAt = 12 + 26 + 4;
        // The owner is a pointer to the question name at offset 12.
        assertEquals(0xc0, wire[answerAt] & 0xff);
        assertEquals(12, wire[answerAt + 1] & 0xff);
        // The CNAME target: label "db", then a pointer to "ns.svc.cluster.local" (offset 12 + 4).
        int rdata = answerAt + 2 + 10;
        assertEquals(2, wire[rdata]);
        assertEquals(0xc0, wire[rdata + 3] & 0xff);
        assertEquals(16, wire[rdata + 4] & 0xff);
        DnsMessage back = DnsMessage.decode(wire);
        assertEquals("db.ns.svc.cluster.local", ((DnsRecord.NameData) back.answers().get(0).data()).target());
        assertTrue(back.authoritative());
        assertTrue(back.isResponse());
    }

    @Test
    void srvTargetIsNotCompressed() {
        DnsMessage q = DnsMessage.query(7, "_http._tcp.web.ns.svc.cluster.local", DnsRecord.SRV);
        DnsRecord srv = DnsRecord.of(q.questions().get(0).name(), 5, new DnsRecord.Srv(0, 100, 80, "web.ns.svc.cluster.local"));
        byte[] wire = q.reply(0, true, List.of(srv), List.of(), List.of()).encode();
        byte[] expected = "\3web\2ns\3svc\7cluster\5local\0".getBytes();
        byte[] tail = java.util.Arrays.copyOfRange(wire, wire.length - expected.length, wire.length);
        assertArrayEquals(expected, tail);
        DnsRecord.Srv back = (DnsRecord.Srv) DnsMessage.decode(wire).answers().get(0).data();
        assertEquals(new DnsRecord.Srv(0, 100, 80, "web.ns.svc.cluster.local"), back);
    }

    @Test
    void decodesPointersIntoEarlierRecords() {
        // A hand-written response: question www.example.com A, answer owner = pointer, A 192.0.2.1.
        byte[] wire = bytes(0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
                3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
                0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1);
        DnsMessage m = DnsMessage.decode(wire);
        DnsRecord a = m.answers().get(0);
        assertEquals("www.example.com", a.name());
        assertEquals(60, a.ttl());
        assertEquals("192.0.2.1", a.data().toString());
    }

    @Test
    void compressionLoopsAndShortMessagesAreFormatErrors() {
        byte[] loop = bytes(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1);
        assertThrows(DnsFormatException.class, () -> DnsMessage.decode(loop));
        assertThrows(DnsFormatException.class, () -> DnsMessage.decode(bytes(0, 1, 0)));
        byte[] pastEnd = bytes(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9, 'a', 'b');
        assertThrows(DnsFormatException.class, () -> DnsMessage.decode(pastEnd));
    }

    @Test
    void largeAnswerIsTruncatedToHeaderAndQuestionWithTc() {
        DnsMessage q = DnsMessage.query(9, "big.ns.svc.cluster.local", DnsRecord.A);
        List<DnsRecord> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(DnsRecord.of("big.ns.svc.cluster.local", 5, new DnsRecord.Address(bytes(10, 244, 0, i))));
        }
        DnsMessage r = q.reply(0, true, many, List.of(), List.of());
        byte[] full = r.encode();
        assertTrue(full.length > 512);
        assertFalse(DnsMessage.decode(full).truncated());
        assertEquals(40, DnsMessage.decode(full).answers().size());
        byte[] cut = r.encode(512);
        DnsMessage back = DnsMessage.decode(cut);
        assertTrue(back.truncated());
        assertEquals(0, back.answers().size());
        assertEquals(q.questions(), back.questions());
        // Every answer after the first costs 16 bytes: the owner is a 2-byte pointer.
        assertEquals(12 + 30 + 40 * 16, full.length);
    }

    @Test
    void ednsPayloadSizeIsRead() {
        DnsMessage plain = DnsMessage.query(1, "a.b", DnsRecord.A);
        assertEquals(512, plain.udpPayloadSize());
        DnsMessage edns = new DnsMessage(1, 0, plain.questions(), List.of(), List.of(),
                List.of(new DnsRecord("", DnsRecord.OPT, 1232, 0, new DnsRecord.Raw(DnsRecord.OPT, new byte[0]))));
        DnsMessage back = DnsMessage.decode(edns.encode());
        assertEquals(1232, back.udpPayloadSize());
    }
}
