package io.capstan.node.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod network attached natively (capstan-bridge; portmap for hostPorts) and, in
 * {@link PodNetworkCniPrivilegedIT}, with the standard plugins (needs root, the shim,
 * containernetworking-plugins, iptables, nft, busybox). A namespace made by the test plays the node's
 * host namespace; the real host is never configured.
 */
@Tag("privileged")
class PodNetworkPrivilegedIT {
    @TempDir
    Path tmp;

    NetnsFixture host;
    PodNetwork net;

    @BeforeEach
    void setUp() throws Exception {
        host = new NetnsFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (net != null) {
                net.cleanup();
            }
        } finally {
            for (MountTable.Mount m : MountTable.under(tmp.toRealPath())) {
                Sys.umount(m.mountPoint(), Sys.MNT_DETACH);
            }
            host.close();
        }
    }

    /** The configuration under test: the default (native) one. */
    NetworkConfig config(String podCidr) {
        return NetworkConfig.defaults(tmp, podCidr).withHostNetns(host.path);
    }

    private PodNetwork network(String podCidr) throws Exception {
        net = new PodNetwork(config(podCidr));
        net.start();
        return net;
    }

    @Test
    void twoPodsGetDistinctAddressesAndTalkThroughTheBridge() throws Exception {
        network("10.244.7.0/24");
        PodAttachment a = net.setUp("pod-a", List.of());
        PodAttachment b = net.setUp("pod-b", List.of());

        assertEquals(1, a.ips().size());
        assertEquals(1, b.ips().size());
        assertNotEquals(a.ips().get(0), b.ips().get(0));
        for (String ip : List.of(a.ips().get(0), b.ips().get(0))) {
            assertTrue(ip.startsWith("10.244.7.") && !ip.equals("10.244.7.1"), ip);
        }
        assertEquals(tmp.resolve("run/netns/pod-a"), a.netnsPath());
        assertEquals(a, net.setUp("pod-a", List.of()), "a second setUp returns the same attachment");

        String bIp = b.ips().get(0);
        NetnsFixture.Run ping = NetnsFixture.in(a.netnsPath(), "busybox", "ping", "-c", "1", "-W", "5", bIp);
        assertEquals(0, ping.rc(), ping.out());
        host.server(b.netnsPath(), 8080, "hello-from-b");
        assertEquals("hello-from-b", NetnsFixture.fetch(a.netnsPath(), bIp, 8080));
        // loopback is up in the pod
        assertTrue(NetnsFixture.in(a.netnsPath(), "ip", "-o", "link", "show", "lo").out().contains("UP"));
        net.check("pod-a");
    }

    @Test
    void hostPortReachesThePodFromTheHostNamespace() throws Exception {
        network("10.244.7.0/24");
        PodAttachment a = net.setUp("pod-web", List.of(new PortMapping(18080, 8080, "TCP", null)));
        host.server(a.netnsPath(), 8080, "hello-hostport");

        assertEquals("hello-hostport", NetnsFixture.fetch(host.path, "10.244.7.1", 18080));
        assertEquals("hello-hostport", NetnsFixture.fetch(host.path, "127.0.0.1", 18080));

        net.tearDown("pod-web");
        String rules = host.inHost("nft", "list", "ruleset").out();
        assertFalse(rules.contains("dport 18080"), rules);
    }

    @Test
    void delReleasesTheAddressAndAFullRangeGivesTheIpamMessage() throws Exception {
        network("10.244.9.0/30"); // .1 is the gateway, .2 the only pod address
        PodAttachment first = net.setUp("pod-1", List.of());
        assertEquals(List.of("10.244.9.2"), first.ips());

        CniException full = assertThrows(CniException.class, () -> net.setUp("pod-2", List.of()));
        assertTrue(full.getMessage().contains("failed to allocate for range 0: no IP addresses available in range set"),
                full.getMessage());
        assertEquals(999, full.code());
        assertFalse(Files.exists(tmp.resolve("run/netns/pod-2")), "a failed ADD leaves no namespace");
        assertFalse(net.pods().contains("pod-2"));

        net.tearDown("pod-1");
        net.tearDown("pod-1"); // idempotent
        assertFalse(Files.exists(first.netnsPath()));
        assertEquals(List.of("10.244.9.2"), net.setUp("pod-3", List.of()).ips());
    }

    @Test
    void podsAreMasqueradedByOneNodeRuleNotPerPodChains() throws Exception {
        network("10.244.7.0/24");
        net.setUp("pod-a", List.of());
        net.setUp("pod-b", List.of());
        String rules = host.inHost("nft", "list", "ruleset").out();
        assertFalse(rules.contains("CNI-"), "no per-pod chains:\n" + rules);
        assertEquals(1, rules.lines().filter(l -> l.contains("masquerade")).count(), rules);
        String table = host.inHost("nft", "list", "table", "ip", "capstan-pods").out();
        assertTrue(table.contains("ip saddr 10.244.7.0/24 ip daddr != 10.244.0.0/16 ip daddr != 224.0.0.0/4 masquerade"),
                table);
        net.start(); // idempotent: still one rule
        assertEquals(1, host.inHost("nft", "list", "ruleset").out().lines().filter(l -> l.contains("masquerade")).count());
    }

    @Test
    void anIdleBridgeOfAnotherPodCidrIsReset() throws Exception {
        // as left by a network on another podCIDR that was not cleaned up
        NetnsFixture.sh("ip", "-n", host.name, "link", "add", "capstan0", "type", "bridge");
        NetnsFixture.sh("ip", "-n", host.name, "addr", "add", "10.244.9.1/30", "dev", "capstan0");
        network("10.244.7.0/24");
        PodAttachment a = net.setUp("pod-a", List.of());
        assertTrue(a.ips().get(0).startsWith("10.244.7."), a.ips().toString());
        String addrs = host.inHost("ip", "-o", "-4", "addr", "show", "dev", "capstan0").out();
        assertTrue(addrs.contains("10.244.7.1/24") && !addrs.contains("10.244.9.1"), addrs);
        assertEquals(0, NetnsFixture.in(a.netnsPath(), "busybox", "ping", "-c", "1", "-W", "5", "10.244.7.1").rc());
    }

    @Test
    void aBridgeOfAnotherPodCidrWithInterfacesAttachedIsKept() throws Exception {
        NetnsFixture.sh("ip", "-n", host.name, "link", "add", "capstan0", "type", "bridge");
        NetnsFixture.sh("ip", "-n", host.name, "addr", "add", "10.244.9.1/30", "dev", "capstan0");
        NetnsFixture.sh("ip", "-n", host.name, "link", "add", "capstan-tva", "master", "capstan0", "type", "veth",
                "peer", "name", "capstan-tvb");
        net = new PodNetwork(config("10.244.7.0/24"));
        java.io.IOException e = assertThrows(java.io.IOException.class, net::start);
        assertTrue(e.getMessage().contains("has the address 10.244.9.1/30") && e.getMessage().contains("attached"),
                e.getMessage());
        assertTrue(host.inHost("ip", "-o", "-4", "addr", "show", "dev", "capstan0").out().contains("10.244.9.1/30"));
        NetnsFixture.sh("ip", "-n", host.name, "link", "del", "capstan-tva");
    }

    @Test
    void aBridgeDeletedWhileRunningIsMadeAgain() throws Exception {
        network("10.244.7.0/24");
        net.setUp("pod-a", List.of());
        NetnsFixture.sh("ip", "-n", host.name, "link", "del", "capstan0");
        PodAttachment b = net.setUp("pod-b", List.of());
        assertEquals(0, NetnsFixture.in(b.netnsPath(), "busybox", "ping", "-c", "1", "-W", "5", "10.244.7.1").rc());
    }

    @Test
    void safetyRoutesMakeUnassignedClusterAddressesUnreachable() throws Exception {
        network("10.244.7.0/24");
        net.start(); // idempotent
        String routes = host.inHost("ip", "route", "show").out();
        assertEquals(1, routes.lines().filter(l -> l.strip().equals("unreachable 10.244.0.0/16")).count(), routes);
        assertEquals(1, routes.lines().filter(l -> l.strip().equals("unreachable 10.96.0.0/12")).count(), routes);
        NetnsFixture.Run get = host.inHost("ip", "route", "get", "10.244.200.1");
        assertNotEquals(0, get.rc());
        assertTrue(get.out().contains("No route to host"), get.out());
        assertTrue(host.inHost("ip", "route", "get", "10.96.0.10").out().contains("No route to host"));

        PodAttachment a = net.setUp("pod-a", List.of());
        NetnsFixture.Run own = host.inHost("ip", "route", "get", a.ips().get(0));
        assertEquals(0, own.rc(), own.out());
        assertTrue(own.out().contains("dev capstan0"), own.out());

        SafetyRoutes safety = new SafetyRoutes(net.config());
        assertTrue(safety.installed());
        safety.remove();
        safety.remove();
        assertFalse(safety.installed());
        assertFalse(host.inHost("ip", "route", "show").out().contains("unreachable"));
    }

    @Test
    void checkFailsOnceThePodInterfaceIsGone() throws Exception {
        network("10.244.7.0/24");
        PodAttachment a = net.setUp("pod-a", List.of());
        net.check("pod-a");
        NetnsFixture.sh("nsenter", "--net=" + a.netnsPath(), "--", "ip", "link", "del", "eth0");
        CniException e = assertThrows(CniException.class, () -> net.check("pod-a"));
        assertTrue(e.getMessage().contains("CHECK"), e.getMessage());
    }

    @Test
    void gcRemovesOrphansEvenWhenTheirNamespaceIsGone() throws Exception {
        network("10.244.7.0/24");
        PodAttachment alive = net.setUp("pod-alive", List.of());
        PodAttachment orphan = net.setUp("pod-orphan", List.of(new PortMapping(18081, 80, "tcp", null)));
        PodAttachment gone = net.setUp("pod-gone", List.of(new PortMapping(18082, 80, "tcp", null)));
        // as after a crash that lost the namespace: bridge's DEL then skips the masquerade chain
        Sys.umount(gone.netnsPath().getParent().toRealPath().resolve("pod-gone"), Sys.MNT_DETACH);

        assertEquals(Set.of("pod-orphan", "pod-gone"), net.gc(Set.of("pod-alive")));
        assertEquals(Set.of("pod-alive"), net.pods());
        String rules = host.inHost("nft", "list", "ruleset").out();
        for (String uid : List.of("pod-orphan", "pod-gone")) {
            for (String chain : NatChains.podChains("capstan", uid)) {
                assertFalse(rules.contains(chain), chain + " left in\n" + rules);
            }
        }
        assertFalse(rules.contains(orphan.ips().get(0) + " "), rules);
        assertFalse(rules.contains(gone.ips().get(0) + " "), rules);
        assertEquals(0, NetnsFixture.in(alive.netnsPath(), "busybox", "ping", "-c", "1", "-W", "5", "10.244.7.1").rc());
    }

    @Test
    void podsSetUpConcurrentlyGetDistinctAddresses() throws Exception {
        network("10.244.7.0/24");
        List<String> uids = List.of("pod-c1", "pod-c2", "pod-c3", "pod-c4");
        List<java.util.concurrent.CompletableFuture<PodAttachment>> futures = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (String uid : uids) {
                futures.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return net.setUp(uid, List.of());
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, pool));
            }
            Set<String> ips = new java.util.HashSet<>();
            for (var f : futures) {
                ips.add(f.get(120, java.util.concurrent.TimeUnit.SECONDS).ips().get(0));
            }
            assertEquals(4, ips.size(), ips.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherInstanceSeesThePodsAndAVanishedNamespaceIsSetUpAnew() throws Exception {
        network("10.244.7.0/24");
        PodAttachment a = net.setUp("pod-a", List.of());
        PodNetwork restarted = new PodNetwork(net.config());
        restarted.start();
        assertEquals(a, restarted.attachment("pod-a").orElseThrow(), "state survives an agent restart");
        assertEquals(Set.of(), restarted.gc(Set.of("pod-a")));

        // as after a reboot: the pin is gone, the lease and the state file are not
        Sys.umount(tmp.toRealPath().resolve("run/netns/pod-a"), Sys.MNT_DETACH);
        assertTrue(restarted.attachment("pod-a").isEmpty());
        PodAttachment again = restarted.setUp("pod-a", List.of());
        assertEquals(1, again.ips().size());
        NetnsFixture.Run ping = NetnsFixture.in(again.netnsPath(), "busybox", "ping", "-c", "1", "-W", "5", "10.244.7.1");
        assertEquals(0, ping.rc(), ping.out());
        assertEquals(1, Files.list(tmp.resolve("network/ipam/capstan")).filter(p -> p.getFileName().toString()
                .startsWith("10.")).count(), "one lease for the pod");
    }

    @Test
    void aLeaseLeftWithoutStateOrNamespaceIsReleasedBeforeTheNextSetUp() throws Exception {
        network("10.244.7.0/24");
        Path leases = tmp.resolve("network/ipam/capstan");
        Files.createDirectories(leases);
        Files.writeString(leases.resolve("10.244.7.77"), "pod-b\r\neth0"); // left by an interrupted DEL
        PodAttachment b = net.setUp("pod-b", List.of());
        assertEquals(List.of("10.244.7.2"), b.ips(), "a new address, the stale lease released first");
        assertTrue(Files.notExists(leases.resolve("10.244.7.77")));
    }

    @Test
    void cleanupLeavesNothingBehind() throws Exception {
        network("10.244.7.0/24");
        net.setUp("pod-a", List.of(new PortMapping(18080, 8080, "tcp", null)));
        net.setUp("pod-b", List.of());
        net.cleanup();
        net.cleanup(); // idempotent

        String links = host.inHost("ip", "-o", "link", "show").out();
        assertEquals(1, links.lines().count(), links);
        assertTrue(links.contains("lo:"), links);
        assertEquals("", host.inHost("ip", "route", "show").out().strip());
        String rules = host.inHost("nft", "list", "ruleset").out();
        for (String forbidden : List.of("CNI-", "jump", "masquerade", "dnat", "mark")) {
            assertFalse(rules.contains(forbidden), forbidden + " left in\n" + rules);
        }
        assertTrue(MountTable.under(tmp.toRealPath()).isEmpty());
        assertEquals(List.of(), Files.list(tmp.resolve("run/netns")).toList());
        assertEquals(List.of(), Files.list(tmp.resolve("network/pods")).toList());
        assertFalse(Files.exists(tmp.resolve("network/ipam/capstan")));
        assertTrue(net.pods().isEmpty());
    }
}
