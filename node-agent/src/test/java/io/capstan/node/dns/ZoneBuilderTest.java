package io.capstan.node.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The records of the cluster zone, looked up without a socket. */
class ZoneBuilderTest {
    static final String D = "cluster.local";

    static ZoneSnapshot.Answer ask(ZoneSnapshot z, String name, int type) {
        return z.lookup(new DnsMessage.Question(name, type, DnsRecord.IN)).orElseThrow();
    }

    static Set<String> data(ZoneSnapshot.Answer a) {
        return a.answers().stream().map(r -> r.data().toString()).collect(Collectors.toSet());
    }

    @Test
    void clusterIpServiceHasAnAddressSrvAndPtr() {
        ZoneSnapshot z = new ZoneBuilder(D, 5, null)
                .add(DnsObjects.service("shop", "web", "10.96.0.50"), List.of()).build();
        var a = ask(z, "web.shop.svc.cluster.local", DnsRecord.A);
        assertEquals(DnsMessage.NOERROR, a.rcode());
        assertEquals(Set.of("10.96.0.50"), data(a));
        assertEquals(5, a.answers().get(0).ttl());
        // The answer echoes the question's spelling; lookups ignore case and a trailing dot.
        assertEquals("WEB.shop.svc.cluster.local.", ask(z, "WEB.shop.svc.cluster.local.", DnsRecord.A)
                .answers().get(0).name());
        var srv = ask(z, "_http._tcp.web.shop.svc.cluster.local", DnsRecord.SRV);
        assertEquals(new DnsRecord.Srv(0, 100, 80, "web.shop.svc.cluster.local"), srv.answers().get(0).data());
        assertEquals(1, srv.additional().size());
        var ptr = ask(z, "50.0.96.10.in-addr.arpa", DnsRecord.PTR);
        assertEquals(new DnsRecord.NameData(DnsRecord.PTR, "web.shop.svc.cluster.local"), ptr.answers().get(0).data());
    }

    @Test
    void otherTypesAndEmptyNonTerminalsAreNodataMissingNamesNxdomain() {
        ZoneSnapshot z = new ZoneBuilder(D, 5, null)
                .add(DnsObjects.service("shop", "web", "10.96.0.50"), List.of()).build();
        var aaaa = ask(z, "web.shop.svc.cluster.local", DnsRecord.AAAA);
        assertEquals(DnsMessage.NOERROR, aaaa.rcode());
        assertTrue(aaaa.answers().isEmpty());
        assertEquals(DnsRecord.SOA, aaaa.authority().get(0).type());
        assertEquals(DnsMessage.NOERROR, ask(z, "shop.svc.cluster.local", DnsRecord.A).rcode());
        assertEquals(DnsMessage.NOERROR, ask(z, "_tcp.web.shop.svc.cluster.local", DnsRecord.A).rcode());
        var missing = ask(z, "nope.shop.svc.cluster.local", DnsRecord.A);
        assertEquals(DnsMessage.NXDOMAIN, missing.rcode());
        DnsRecord soa = missing.authority().get(0);
        assertEquals("cluster.local", soa.name());
        DnsRecord.Soa data = (DnsRecord.Soa) soa.data();
        assertEquals("ns.dns.cluster.local", data.mname());
        assertEquals("hostmaster.cluster.local", data.rname());
        assertEquals(5, data.minimum());
        assertEquals(DnsMessage.NXDOMAIN, ask(z, "web.other.svc.cluster.local", DnsRecord.A).rcode());
        assertTrue(z.lookup(new DnsMessage.Question("example.com", DnsRecord.A, 1)).isEmpty(), "forwarded");
        assertTrue(z.lookup(new DnsMessage.Question("1.2.0.192.in-addr.arpa", DnsRecord.PTR, 1)).isEmpty(),
                "unknown reverse names are forwarded");
    }

    @Test
    void headlessServiceServesReadyEndpointsAndTheirHostnames() {
        EndpointSlice slice = DnsObjects.slice("db", "pg-abc", "pg", 5432)
                .addToEndpoints(new EndpointBuilder().withAddresses("10.244.0.5").withHostname("pg-0")
                        .withNewConditions().withReady(true).endConditions().build())
                .addToEndpoints(new EndpointBuilder().withAddresses("10.244.0.6")
                        .withNewConditions().endConditions().build())
                .addToEndpoints(new EndpointBuilder().withAddresses("10.244.0.7").withHostname("pg-2")
                        .withNewConditions().withReady(false).endConditions().build())
                .build();
        ZoneSnapshot z = new ZoneBuilder(D, 5, null).add(DnsObjects.service("db", "pg", "None"), List.of(slice)).build();
        assertEquals(Set.of("10.244.0.5", "10.244.0.6"), data(ask(z, "pg.db.svc.cluster.local", DnsRecord.A)));
        assertEquals(Set.of("10.244.0.5"), data(ask(z, "pg-0.pg.db.svc.cluster.local", DnsRecord.A)));
        assertEquals(Set.of("10.244.0.6"), data(ask(z, "10-244-0-6.pg.db.svc.cluster.local", DnsRecord.A)));
        assertEquals(DnsMessage.NXDOMAIN, ask(z, "pg-2.pg.db.svc.cluster.local", DnsRecord.A).rcode());
        var srv = ask(z, "_http._tcp.pg.db.svc.cluster.local", DnsRecord.SRV);
        assertEquals(Set.of("Srv[priority=0, weight=50, port=5432, target=pg-0.pg.db.svc.cluster.local]",
                "Srv[priority=0, weight=50, port=5432, target=10-244-0-6.pg.db.svc.cluster.local]"), data(srv));
        assertEquals(2, srv.additional().size());
        assertEquals(new DnsRecord.NameData(DnsRecord.PTR, "pg-0.pg.db.svc.cluster.local"),
                ask(z, "5.0.244.10.in-addr.arpa", DnsRecord.PTR).answers().get(0).data());
    }

    @Test
    void externalNameIsACnameAndPodNamesSpellTheirAddress() {
        ZoneSnapshot z = new ZoneBuilder(D, 5, null).add(new ServiceBuilder().withNewMetadata().withNamespace("a")
                .withName("ext").endMetadata().withNewSpec().withType("ExternalName")
                .withExternalName("db.example.com").endSpec().build(), List.of()).build();
        var a = ask(z, "ext.a.svc.cluster.local", DnsRecord.A);
        assertEquals(new DnsRecord.NameData(DnsRecord.CNAME, "db.example.com"), a.answers().get(0).data());
        assertEquals(Set.of("10.244.1.9"), data(ask(z, "10-244-1-9.a.pod.cluster.local", DnsRecord.A)));
        assertEquals(DnsMessage.NXDOMAIN, ask(z, "x-y.a.pod.cluster.local", DnsRecord.A).rcode());
    }

    @Test
    void apexHasSoaAndNsAndTheNameserverAddress() {
        ZoneSnapshot z = new ZoneBuilder(D, 5, new byte[] {10, 96, 0, 10}).build();
        assertEquals(DnsRecord.SOA, ask(z, "cluster.local", DnsRecord.SOA).answers().get(0).type());
        assertEquals(new DnsRecord.NameData(DnsRecord.NS, "ns.dns.cluster.local"),
                ask(z, "cluster.local", DnsRecord.NS).answers().get(0).data());
        assertEquals(Set.of("10.96.0.10"), data(ask(z, "ns.dns.cluster.local", DnsRecord.A)));
        assertEquals(DnsMessage.NOERROR, ask(z, "svc.cluster.local", DnsRecord.A).rcode());
        assertEquals(2, ask(z, "cluster.local", DnsRecord.ANY).answers().size());
    }
}
