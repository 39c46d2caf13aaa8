package io.capstan.node.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad and unusual queries, answered without a socket. */
class DnsHandlerTest {
    static final ZoneSnapshot ZONE = new ZoneBuilder("cluster.local", 5, null)
            .add(new ServiceBuilder().withNewMetadata().withNamespace("a").withName("v6").endMetadata()
                    .withNewSpec().withClusterIP("fd00::10").withClusterIPs("fd00::10").endSpec().build(), List.of())
            .build();
    static final DnsHandler HANDLER = new DnsHandler(() -> ZONE, new Forwarder(List.of(), Duration.ofMillis(100)));

    static DnsMessage answer(byte[] query) {
        return DnsMessage.decode(HANDLER.handle(query, query.length, false));
    }

    @Test
    void garbageWithAHeaderIsFormerrAndShorterGarbageIsDropped() {
        byte[] bad = DnsMessageTest.bytes(0xab, 0xcd, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0, 60, 'x');
        DnsMessage r = answer(bad);
        assertEquals(0xabcd, r.id());
        assertEquals(DnsMessage.FORMERR, r.rcode());
        assertTrue(r.isResponse());
        assertNull(HANDLER.handle(new byte[5], 5, false));
    }

    @Test
    void responsesAreIgnoredOtherOpcodesNotImplemented() {
        DnsMessage q = DnsMessage.query(3, "v6.a.svc.cluster.local", DnsRecord.AAAA);
        byte[] response = q.reply(0, true, List.of(), List.of(), List.of()).encode();
        assertNull(HANDLER.handle(response, response.length, false));
        byte[] notify = new DnsMessage(3, 4 << 11, q.questions(), List.of(), List.of(), List.of()).encode();
        assertEquals(DnsMessage.NOTIMP, answer(notify).rcode());
    }

    @Test
    void ipv6ServiceAnswersAaaaAndNoUpstreamIsServfail() {
        DnsMessage r = answer(DnsMessage.query(4, "v6.a.svc.cluster.local", DnsRecord.AAAA).encode());
        assertEquals("fd00:0:0:0:0:0:0:10", r.answers().get(0).data().toString());
        assertTrue(r.authoritative());
        DnsMessage ptr = answer(DnsMessage.query(5,
                "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", DnsRecord.PTR).encode());
        assertEquals(new DnsRecord.NameData(DnsRecord.PTR, "v6.a.svc.cluster.local"), ptr.answers().get(0).data());
        DnsMessage out = answer(DnsMessage.query(6, "example.org", DnsRecord.A).encode());
        assertEquals(DnsMessage.SERVFAIL, out.rcode());
    }
}
