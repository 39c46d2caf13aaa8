package io.capstan.node.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {
    @TempDir
    Path dir;

    @Test
    void allocatesRoundRobinWithoutNetworkGatewayOrBroadcast() throws Exception {
        Ipam ipam = new Ipam(dir, Cidr.parse("10.244.9.0/29")); // .2 to .6 for pods
        assertEquals("10.244.9.2", ipam.allocate("a"));
        assertEquals("10.244.9.3", ipam.allocate("b"));
        assertEquals("10.244.9.2", ipam.allocate("a"), "an owner keeps its lease");
        ipam.release("a");
        assertEquals("10.244.9.4", ipam.allocate("c"), "round robin: a released address is not reused at once");
        assertEquals("c\r\neth0", Files.readString(dir.resolve("10.244.9.4")), "host-local's format");
        assertEquals("10.244.9.4", Files.readString(dir.resolve("last_reserved_ip.0")).strip());
        for (String o : List.of("d", "e", "f")) {
            ipam.allocate(o);
        }
        CniException full = assertThrows(CniException.class, () -> ipam.allocate("g"));
        assertEquals(999, full.code());
        assertTrue(full.getMessage().contains("no IP addresses available in range set: 10.244.9.2-10.244.9.6"),
                full.getMessage());
    }

    @Test
    void leasesInHostLocalsFormatSurviveANewInstance() throws Exception {
        // a lease host-local wrote (first line the container id), and one of this class
        Files.writeString(dir.resolve("10.244.7.2"), "pod-old\r\neth0", StandardCharsets.UTF_8);
        Ipam first = new Ipam(dir, Cidr.parse("10.244.7.0/24"));
        assertEquals("10.244.7.3", first.allocate("pod-a"));
        Ipam second = new Ipam(dir, Cidr.parse("10.244.7.0/24"));
        assertEquals("10.244.7.3", second.allocate("pod-a"));
        assertEquals("10.244.7.4", second.allocate("pod-b"));
        second.release("pod-old");
        assertTrue(Files.notExists(dir.resolve("10.244.7.2")));
    }

    @Test
    void aLeaseGoneFromTheDirectoryIsReleasedAndAnOwnersLeaseIsFoundWithoutRereading() throws Exception {
        Ipam ipam = new Ipam(dir, Cidr.parse("10.244.8.0/24"));
        assertEquals("10.244.8.2", ipam.allocate("pod-a"));
        assertTrue(ipam.holds("pod-a"));
        assertFalse(ipam.holds("pod-b"));
        // written behind its back after the first allocation: not seen by allocate, seen by release
        Files.writeString(dir.resolve("10.244.8.9"), "pod-z\r\neth0", StandardCharsets.UTF_8);
        assertEquals("10.244.8.3", ipam.allocate("pod-b"));
        assertEquals("10.244.8.2", ipam.allocate("pod-a"));
        ipam.release("pod-z");
        assertTrue(Files.notExists(dir.resolve("10.244.8.9")));
        ipam.release("pod-a");
        assertTrue(Files.notExists(dir.resolve("10.244.8.2")));
        assertFalse(ipam.holds("pod-a"));
        assertEquals("10.244.8.4", ipam.allocate("pod-a"), "a released owner gets a new address");
    }

    @Test
    void twoAllocatorsOnOneDirectoryNeverShareAnAddress() throws Exception {
        Ipam one = new Ipam(dir, Cidr.parse("10.244.7.0/24"));
        Ipam two = new Ipam(dir, Cidr.parse("10.244.7.0/24"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Ipam ipam = i % 2 == 0 ? one : two;
                String owner = "pod-" + i;
                fs.add(pool.submit(() -> ipam.allocate(owner)));
            }
            Set<String> ips = new HashSet<>();
            for (Future<String> f : fs) {
                ips.add(f.get());
            }
            assertEquals(40, ips.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
