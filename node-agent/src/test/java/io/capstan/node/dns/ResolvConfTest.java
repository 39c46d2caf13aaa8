package io.capstan.node.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's resolver configuration and the upstreams taken from it. */
class ResolvConfTest {
    @TempDir
    Path dir;

    @Test
    void systemdResolvedStubIsReplacedByTheRealUpstreams() throws Exception {
        Path etc = Files.writeString(dir.resolve("etc"), "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n");
        Path systemd = dir.resolve("systemd");
        assertEquals(List.of("127.0.0.53"), ResolvConf.host(etc, systemd).nameservers(), "no systemd file: as is");
        Files.writeString(systemd, "nameserver 192.0.2.10\nnameserver 2001:db8::1\nnameserver resolver.invalid\n");
        ResolvConf host = ResolvConf.host(etc, systemd);
        assertEquals(List.of("192.0.2.10", "2001:db8::1", "resolver.invalid"), host.nameservers());
        assertEquals(List.of(new InetSocketAddress(DnsConfig.literal("192.0.2.10"), 53),
                new InetSocketAddress(DnsConfig.literal("2001:db8::1"), 53)), DnsConfig.upstreamsOf(host));
        Path plain = Files.writeString(dir.resolve("plain"), "nameserver 10.0.0.2\n");
        assertEquals(List.of("10.0.0.2"), ResolvConf.host(plain, systemd).nameservers());
        assertEquals(ResolvConf.EMPTY, ResolvConf.host(dir.resolve("missing"), dir.resolve("missing2")));
    }

    @Test
    void lastSearchLineWinsAndRenderRoundTrips() {
        ResolvConf c = ResolvConf.parse("search a.example\nnameserver 192.0.2.1\nsearch b.example c.example.\n"
                + "options ndots:1\noptions attempts:3\n");
        assertEquals(List.of("b.example", "c.example"), c.searches());
        assertEquals(List.of("ndots:1", "attempts:3"), c.options());
        assertEquals(c, ResolvConf.parse(c.render()));
    }
}
