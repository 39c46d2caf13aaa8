package io.capstan.node.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster DNS server's configuration; one immutable value.
 *
 * @param clusterDomain the zone served authoritatively (default cluster.local)
 * @param listen the addresses to listen on, UDP and TCP (default the cluster DNS service address 10.96.0.10)
 * @param port the port (default 53; 0 picks a free one, for tests)
 * @param ttl the TTL of every record served, in seconds (default 5, CoreDNS' kubernetes plugin default)
 * @param upstreams where names outside the zone are forwarded, tried in order (default: the
 *     nameservers of {@link ResolvConf#host()}, port 53)
 * @param forwardTimeout how long one upstream is waited for before the next is tried (SERVFAIL after the last)
 */
public record DnsConfig(String clusterDomain, List<InetAddress> listen, int port, long ttl,
        List<InetSocketAddress> upstreams, Duration forwardTimeout) {

    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    public static final String DEFAULT_CLUSTER_DNS = "10.96.0.10";
    public static final long DEFAULT_TTL = 5;

    public DnsConfig {
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        listen = List.copyOf(listen);
        upstreams = List.copyOf(upstreams);
        if (listen.isEmpty() || port < 0 || port > 65535 || ttl < 0) {
            throw new IllegalArgumentException("dns: need a listen address, a port in 0-65535 and a TTL >= 0");
        }
    }

    /** The defaults, upstreams read from the host's resolv.conf ({@link ResolvConf#host()}). */
    public static DnsConfig defaults() {
        try {
            return new DnsConfig(DEFAULT_CLUSTER_DOMAIN, List.of(literal(DEFAULT_CLUSTER_DNS)), 53, DEFAULT_TTL,
                    upstreamsOf(ResolvConf.host()), Duration.ofSeconds(2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nameservers of {@code conf} as upstreams on port 53 (entries that are not IP literals are skipped). */
    public static List<InetSocketAddress> upstreamsOf(ResolvConf conf) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String ns : conf.nameservers()) {
            Addresses.parse(ns).ifPresent(b -> out.add(new InetSocketAddress(address(b), 53)));
        }
        return out;
    }

    public DnsConfig withListen(List<InetAddress> addresses, int listenPort) {
        return new DnsConfig(clusterDomain, addresses, listenPort, ttl, upstreams, forwardTimeout);
    }

    public DnsConfig withUpstreams(List<InetSocketAddress> servers) {
        return new DnsConfig(clusterDomain, listen, port, ttl, servers, forwardTimeout);
    }

    public DnsConfig withForwardTimeout(Duration timeout) {
        return new DnsConfig(clusterDomain, listen, port, ttl, upstreams, timeout);
    }

    /** {@code ip} (a literal; never looked up). */
    public static InetAddress literal(String ip) {
        return address(Addresses.parse(ip).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + ip)));
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
