package io.capstan.node.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.proxy.ServicePortRule.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rendered transactions, applied with nft in a network namespace of the test's own: a second
 * run replaces the first exactly (stale chains and sets gone, affinity memory kept), udp and sctp
 * ports render, and a full rewrite of many services is timed (printed, not asserted).
 */
class RulesetTest {
    private static ServicePortRule port(String name, String protocol, String ip, int affinity, int endpoints) {
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            eps.add(new Endpoint("10.244." + (i / 200) + "." + (i % 200 + 2), 8080));
        }
        return new ServicePortRule("ns", name, "p", protocol, 80, List.of(ip), 0, affinity, eps);
    }

    @Test
    void secondTransactionReplacesTheFirstAndKeepsAffinityMemory() {
        ProxyConfig config = ProxyConfig.defaults();
        Ruleset first = RulesetRenderer.render(List.of(port("a", "tcp", "10.96.0.1", 60, 2),
                port("b", "udp", "10.96.0.2", 0, 1), port("c", "sctp", "10.96.0.3", 0, 3)), config);
        Ruleset second = RulesetRenderer.render(List.of(port("a", "tcp", "10.96.0.1", 60, 1),
                port("b", "udp", "10.96.0.2", 0, 0)), config);
        String script = second.transaction(first);
        assertTrue(script.contains("delete chain ip capstan svc-ns/c/sctp/p"), script);
        assertTrue(script.contains("delete chain ip capstan ep-ns/a/tcp/p/10.244.0.3/8080"), script);
        assertTrue(script.contains("delete set ip capstan aff-ns/a/tcp/p/10.244.0.3/8080"), script);
        assertFalse(script.contains("delete table"), script);

        try (NetLab lab = NetLab.create(0)) {
            Nft nft = new Nft(config.withNetns(lab.nodeNetns()));
            nft.apply(first.transaction(null));
            assertTrue(nft.listTable().contains("meta l4proto sctp dnat to 10.244.0.4:8080"), nft.listTable());
            nft.apply("add element ip capstan aff-ns/a/tcp/p/10.244.0.2/8080 { 192.0.2.7 }\n");
            nft.apply(script);
            String table = nft.listTable();
            assertFalse(table.contains("sctp"), table);
            assertFalse(table.contains("10.244.0.3"), table);
            assertTrue(table.contains("192.0.2.7 expires"), "affinity memory survives a sync: " + table);
            assertTrue(table.contains("10.96.0.2 . udp . 80 : goto reject-service"), table);
            // The same ruleset again changes nothing.
            nft.apply(second.transaction(second));
            assertEquals(table.replaceAll("expires \\S+", ""), nft.listTable().replaceAll("expires \\S+", ""));
        }
    }

    @Test
    void portsClaimingTheSameAddressOrNodePortDoNotBreakTheTransaction() {
        ProxyConfig config = ProxyConfig.defaults();
        ServicePortRule first = new ServicePortRule("ns", "a", "p", "tcp", 80, List.of("10.96.0.1"), 30001, 0,
                List.of(new Endpoint("10.244.0.2", 8080)));
        ServicePortRule sameIp = new ServicePortRule("ns", "b", "p", "tcp", 80, List.of("10.96.0.1"), 30002, 0,
                List.of());
        ServicePortRule sameNodePort = new ServicePortRule("ns", "c", "p", "tcp", 80, List.of("10.96.0.3"), 30001, 0,
                List.of(new Endpoint("10.244.0.3", 8080)));
        Ruleset rules = RulesetRenderer.render(List.of(first, sameIp, sameNodePort), config);
        try (NetLab lab = NetLab.create(0)) {
            Nft nft = new Nft(config.withNetns(lab.nodeNetns()));
            nft.apply(rules.transaction(null));
            String table = nft.listTable();
            assertTrue(table.contains("10.96.0.1 . tcp . 80 : goto svc-ns/a/tcp/p"), table);
            assertFalse(table.contains("10.96.0.1 . tcp . 80 : goto reject-service"), table);
            assertTrue(table.contains("tcp . 30001 : goto ext-ns/a/tcp/p"), table);
            assertTrue(table.contains("tcp . 30002 : goto reject-service"), table);
            assertTrue(table.contains("10.96.0.3 . tcp . 80 : goto svc-ns/c/tcp/p"), table);
            assertFalse(table.contains("ext-ns/c/tcp/p"), table);
        }
    }

    @Test
    void localTrafficPoliciesRender() {
        ProxyConfig config = ProxyConfig.defaults();
        Endpoint here = new Endpoint("10.244.0.2", 8080);
        Endpoint there = new Endpoint("10.244.1.2", 8080);
        ServicePortRule itp = new ServicePortRule("ns", "itp", "p", "tcp", 80, List.of("10.96.0.1"), 0, 60,
                List.of(here, there), List.of(here), true, false);
        ServicePortRule etp = new ServicePortRule("ns", "etp", "p", "tcp", 80, List.of("10.96.0.2"), 30002, 0,
                List.of(here, there), List.of(here), false, true);
        ServicePortRule elsewhere = new ServicePortRule("ns", "far", "p", "udp", 53, List.of("10.96.0.3"), 30003, 0,
                List.of(there), List.of(), true, true);
        Ruleset rules = RulesetRenderer.render(List.of(itp, etp, elsewhere), config);
        try (NetLab lab = NetLab.create(0)) {
            Nft nft = new Nft(config.withNetns(lab.nodeNetns()));
            nft.apply(rules.transaction(null));
            String table = nft.listTable();
            assertTrue(table.contains("10.96.0.1 . tcp . 80 : goto svl-ns/itp/tcp/p"), table);
            assertTrue(table.contains("ip saddr @aff-ns/itp/tcp/p/10.244.0.2/8080 goto ep-ns/itp/tcp/p/10.244.0.2/8080"),
                    table);
            assertTrue(table.contains("10.96.0.2 . tcp . 80 : goto svc-ns/etp/tcp/p"), table);
            assertTrue(table.contains("ip saddr 10.244.0.0/16 goto svc-ns/etp/tcp/p"), table);
            assertTrue(table.contains("fib saddr type local goto svc-ns/etp/tcp/p"), table);
            assertTrue(table.contains("goto svl-ns/etp/tcp/p"), table);
            // No endpoint on this node: ClusterIP refused, outside NodePort traffic dropped, pods' sent on.
            assertTrue(table.contains("10.96.0.3 . udp . 53 : goto reject-service"), table);
            assertTrue(table.contains("ip saddr 10.244.0.0/16 goto reject-service"), table);
            assertTrue(table.contains("udp . 30003 : goto ext-ns/far/udp/p"), table);
        }
    }

    @Test
    void fullRewriteOfManyServices() {
        ProxyConfig config = ProxyConfig.defaults();
        try (NetLab lab = NetLab.create(0)) {
            Nft nft = new Nft(config.withNetns(lab.nodeNetns()));
            Ruleset previous = null;
            for (int services : new int[] {10, 100, 1000}) {
                List<ServicePortRule> ports = new ArrayList<>();
                for (int i = 0; i < services; i++) {
                    ports.add(port("s" + i, "tcp", "10.96." + (i / 250) + "." + (i % 250 + 1), 0, 3));
                }
                Ruleset rules = RulesetRenderer.render(ports, config);
                long start = System.nanoTime();
                nft.apply(rules.transaction(previous));
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("full rewrite: %d services x 3 endpoints in %d ms%n", services, ms);
                previous = rules;
                assertTrue(nft.listTable().contains("svc-ns/s" + (services - 1) + "/tcp/p"));
            }
        }
    }
}
