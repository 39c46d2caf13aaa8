package io.capstan.node.dns;

import static io.capstan.node.dns.DnsTools.dig;
import static io.capstan.node.dns.DnsTools.digShort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster DNS server against an in-process API server, queried on 127.0.0.1 with dig, with
 * this package's codec and with the JDK's JNDI resolver; names outside the cluster go to a fake
 * upstream on another loopback port.
 */
class ClusterDnsIT {
    private static final Logger LOG = Logger.getLogger(ClusterDnsIT.class);

    static TestApiServer api;
    static KubernetesClient client;
    static DnsServer upstream;
    static ClusterDns dns;
    static InetSocketAddress at;

    @BeforeAll
    static void start() throws Exception {
        api = TestApiServer.start();
        client = Clients.of(api);
        upstream = DnsTools.fakeUpstream();
        DnsConfig config = new DnsConfig("cluster.local", List.of(DnsConfig.literal("127.0.0.1")), 0, 5,
                upstream.addresses(), Duration.ofSeconds(1));
        dns = ClusterDns.start(config, client);
        at = dns.addresses().get(0);
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.close();
        }
    }

    static EndpointSlice create(EndpointSlice slice) {
        return client.discovery().v1().endpointSlices().resource(slice).create();
    }

    @Test
    void clusterIpServiceAnswersASrvAndPtr() throws Exception {
        String ns = Clients.namespace(client, "dns-clusterip");
        client.services().resource(DnsObjects.service(ns, "web", "10.96.100.10")).create();
        String name = "web." + ns + ".svc.cluster.local";
        Await.until("A record of " + name, () -> digShort(at, name, "A").equals(Set.of("10.96.100.10")),
                () -> dig(at, name));
        assertEquals(Set.of("10.96.100.10"), digShort(at, name, "A", "+tcp", "+norecurse"));
        assertEquals(Set.of("10.96.100.10"), DnsTools.jndi(at, name, "A"));
        assertEquals(Set.of("0 100 80 " + name + "."), digShort(at, "_http._tcp." + name, "SRV"));
        assertEquals(Set.of("0 100 80 " + name + "."), DnsTools.jndi(at, "_http._tcp." + name, "SRV"));
        assertEquals(Set.of(name + "."), digShort(at, "-x", "10.96.100.10"));
        String full = dig(at, name, "A");
        assertTrue(full.contains("status: NOERROR") && full.matches("(?s).*flags: qr aa rd ra.*"), full);
        assertTrue(full.matches("(?s).*" + name.replace(".", "\\.") + "\\.\\s+5\\s+IN\\s+A\\s+10\\.96\\.100\\.10.*"),
                "TTL 5: " + full);
        String aaaa = dig(at, name, "AAAA");
        assertTrue(aaaa.contains("status: NOERROR") && aaaa.contains("ANSWER: 0"), aaaa);
    }

    @Test
    void headlessServiceFollowsEndpointReadiness() {
        String ns = Clients.namespace(client, "dns-headless");
        client.services().resource(DnsObjects.service(ns, "db", "None")).create();
        EndpointSlice slice = create(DnsObjects.slice(ns, "db-1", "db", 5432)
                .addToEndpoints(new EndpointBuilder().withAddresses("10.244.0.11").withHostname("db-0")
                        .withNewConditions().withReady(true).endConditions().build())
                .addToEndpoints(new EndpointBuilder().withAddresses("10.244.0.12").withHostname("db-1")
                        .withNewConditions().withReady(true).endConditions().build())
                .addToEndpoints(new EndpointBuilder().withAddresses("10.244.0.13").withHostname("db-2")
                        .withNewConditions().withReady(false).endConditions().build())
                .build());
        String name = "db." + ns + ".svc.cluster.local";
        Await.until("the ready endpoints", () -> digShort(at, name).equals(Set.of("10.244.0.11", "10.244.0.12")),
                () -> dig(at, name));
        assertEquals(Set.of("10.244.0.11"), digShort(at, "db-0." + name));
        assertTrue(dig(at, "db-2." + name).contains("status: NXDOMAIN"));
        assertEquals(Set.of("0 50 5432 db-0." + name + ".", "0 50 5432 db-1." + name + "."),
                digShort(at, "_http._tcp." + name, "SRV"));
        assertEquals(Set.of("db-1." + name + "."), digShort(at, "-x", "10.244.0.12"));

        EndpointSlice ready = new EndpointSliceBuilder(slice).editEndpoint(2).editConditions().withReady(true)
                .endConditions().endEndpoint().editEndpoint(0).editConditions().withReady(false).endConditions()
                .endEndpoint().build();
        client.discovery().v1().endpointSlices().resource(ready).update();
        Await.until("readiness changes", () -> digShort(at, name).equals(Set.of("10.244.0.12", "10.244.0.13")),
                () -> dig(at, name));
        assertEquals(Set.of("10.244.0.13"), digShort(at, "db-2." + name, "+tcp"));
    }

    @Test
    void missingNamesAreNxdomainWithTheSoa() {
        String out = dig(at, "nothing.dns-none.svc.cluster.local", "A");
        assertTrue(out.contains("status: NXDOMAIN"), out);
        assertTrue(out.matches("(?s).*AUTHORITY SECTION:\\s+cluster\\.local\\.\\s+5\\s+IN\\s+SOA\\s+ns\\.dns\\.cluster\\.local\\."
                + " hostmaster\\.cluster\\.local\\. \\d+ 7200 1800 86400 5.*"), out);
    }

    @Test
    void largeAnswersAreTruncatedOnUdpAndWholeOnTcp() throws Exception {
        String ns = Clients.namespace(client, "dns-large");
        client.services().resource(DnsObjects.service(ns, "many", "None")).create();
        EndpointSliceBuilder b = DnsObjects.slice(ns, "many-1", "many", 80);
        Set<String> ips = new TreeSet<>();
        for (int i = 1; i <= 40; i++) {
            ips.add("10.244.3." + i);
            b.addToEndpoints(new EndpointBuilder().withAddresses("10.244.3." + i).build());
        }
        create(b.build());
        String name = "many." + ns + ".svc.cluster.local";
        Await.until("40 endpoints over TCP", () -> {
            try {
                return DnsTools.query(at, name, DnsRecord.A, true).answers().size() == 40;
            } catch (IOException e) {
                return false;
            }
        });
        DnsMessage udp = DnsTools.query(at, name, DnsRecord.A, false);
        assertTrue(udp.truncated());
        assertTrue(udp.answers().isEmpty());
        assertTrue(dig(at, name, "+noedns", "+ignore").matches("(?s).*flags: qr aa tc rd ra.*"));
        // dig retries over TCP on its own when the UDP answer is truncated.
        assertEquals(ips, digShort(at, name, "+noedns"));
        // With EDNS (dig's default 1232 bytes) everything fits over UDP.
        assertEquals(ips, digShort(at, name, "+ignore"));
    }

    @Test
    void otherNamesAreForwardedToTheUpstream() throws Exception {
        assertEquals(Set.of("192.0.2.7"), digShort(at, "www.example.test"));
        assertEquals(Set.of("192.0.2.7"), DnsTools.jndi(at, "www.example.test", "A"));
        assertTrue(dig(at, "nope.example.test").contains("status: NXDOMAIN"));
        // 60 addresses: the upstream truncates over UDP, the forwarder retries over TCP, and the
        // client gets TC on a 512-byte UDP query, then everything over TCP.
        assertTrue(dig(at, "big.example.test", "+noedns", "+ignore").matches("(?s).*flags: qr tc rd ra.*"));
        assertEquals(60, digShort(at, "big.example.test", "+noedns").size());
        assertEquals(60, digShort(at, "big.example.test", "+tcp").size());
    }

    @Test
    void unreachableUpstreamIsServfail() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(DnsConfig.literal("127.0.0.1"), 0))) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        DnsConfig config = new DnsConfig("cluster.local", List.of(DnsConfig.literal("127.0.0.1")), 0, 5,
                List.of(closed), Duration.ofMillis(500));
        try (ClusterDns other = ClusterDns.start(config, client)) {
            String out = dig(other.addresses().get(0), "www.example.test");
            assertTrue(out.contains("status: SERVFAIL"), out);
        }
    }

    @Test
    void changesAreServedAsSoonAsTheInformerSeesThem() {
        String ns = Clients.namespace(client, "dns-updates");
        String name = "late." + ns + ".svc.cluster.local";
        assertTrue(dig(at, name).contains("status: NXDOMAIN"));
        long t0 = System.nanoTime();
        client.services().resource(DnsObjects.service(ns, "late", "10.96.100.20")).create();
        Await.until("the new service resolves", () -> {
            try {
                return DnsTools.query(at, name, DnsRecord.A, false).answers().size() == 1;
            } catch (IOException e) {
                return false;
            }
        });
        LOG.infof("a new service resolved %d ms after its create call", (System.nanoTime() - t0) / 1_000_000);
        client.services().inNamespace(ns).withName("late").delete();
        Await.until("the deleted service is gone", () -> {
            try {
                return DnsTools.query(at, name, DnsRecord.A, false).rcode() == DnsMessage.NXDOMAIN;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
