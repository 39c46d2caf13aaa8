package io.capstan.node.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the service proxy is configured with; one immutable value, passed in at construction.
 *
 * @param serviceCidr the service CIDR (ClusterIPs); traffic to an address in it that no service
 *     port claims is refused
 * @param clusterCidr the cluster pod CIDR; traffic to a ClusterIP from a source outside it is
 *     masqueraded, as kube-proxy's {@code --cluster-cidr}
 * @param nodePortMin the lowest NodePort programmed (a nodePort outside the range is ignored)
 * @param nodePortMax the highest NodePort programmed
 * @param nodeName this node's name, for the Local traffic policies (endpoints whose
 *     {@code nodeName} it is are local); {@code null} treats Local policies as Cluster
 * @param netns the network namespace to program, as a namespace file ({@code /run/netns/NAME},
 *     {@code /proc/PID/ns/net}); {@code null} programs the agent's own namespace
 * @param serviceRouteDevice the device of the per-ClusterIP routes that let the node's own
 *     connections reach ClusterIPs past the agent's unreachable service-CIDR route (the node
 *     bridge, {@code capstan0}); {@code null} adds no routes
 * @param masqueradeMark the packet mark bit that asks for masquerading (kube-proxy: 0x4000)
 * @param syncDelay how long a change waits for more changes before the rules are written
 * @param minSyncInterval the least time between the end of one nft run and the start of the next
 * @param resyncInterval the rules are rewritten at least this often, changed or not, so a table
 *     deleted by hand comes back
 * @param retryInterval the wait before a failed nft run is retried (with a full rewrite)
 * @param nft the nft binary
 * @param nsenter the nsenter binary (used only when {@code netns} is set)
 * @param ip the ip binary (iproute2), for the service routes
 */
public record ProxyConfig(
        Cidr serviceCidr,
        Cidr clusterCidr,
        int nodePortMin,
        int nodePortMax,
        String nodeName,
        Path netns,
        String serviceRouteDevice,
        int masqueradeMark,
        Duration syncDelay,
        Duration minSyncInterval,
        Duration resyncInterval,
        Duration retryInterval,
        Path nft,
        Path nsenter,
        Path ip) {

    /** The nftables table capstan owns entirely: {@code table ip capstan}. */
    public static final String TABLE = "capstan";
    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
    public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";

    public ProxyConfig {
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        Objects.requireNonNull(syncDelay, "syncDelay");
        Objects.requireNonNull(minSyncInterval, "minSyncInterval");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(nft, "nft");
        Objects.requireNonNull(nsenter, "nsenter");
        Objects.requireNonNull(ip, "ip");
        if (serviceRouteDevice != null && !serviceRouteDevice.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("bad device name " + serviceRouteDevice);
        }
        if (nodePortMin < 1 || nodePortMax > 65535 || nodePortMin > nodePortMax) {
            throw new IllegalArgumentException("bad node port range " + nodePortMin + "-" + nodePortMax);
        }
        if (Integer.bitCount(masqueradeMark) != 1) {
            throw new IllegalArgumentException("masqueradeMark must be a single bit: " + masqueradeMark);
        }
        if (resyncInterval.isZero() || resyncInterval.isNegative() || retryInterval.isNegative()) {
            throw new IllegalArgumentException("resync and retry intervals must be positive");
        }
    }

    /**
     * The cluster defaults: services 10.96.0.0/12, pods 10.244.0.0/16, NodePorts 30000-32767, the
     * agent's own network namespace, ClusterIP routes over {@code capstan0}, mark 0x4000, 20 ms debounce, 50 ms between nft runs, a full
     * rewrite every 30 s.
     */
    public static ProxyConfig defaults() {
        return new ProxyConfig(Cidr.parse(DEFAULT_SERVICE_CIDR), Cidr.parse(DEFAULT_CLUSTER_CIDR), 30000, 32767,
                null, null, "capstan0", 0x4000, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Path.of("/usr/sbin/nft"), Path.of("/usr/bin/nsenter"), Path.of("/usr/sbin/ip"));
    }

    /** This configuration for node {@code name} (Local traffic policies keep its endpoints). */
    public ProxyConfig withNodeName(String name) {
        return new ProxyConfig(serviceCidr, clusterCidr, nodePortMin, nodePortMax, name, netns, serviceRouteDevice,
                masqueradeMark, syncDelay, minSyncInterval, resyncInterval, retryInterval, nft, nsenter, ip);
    }

    /** This configuration programming the network namespace {@code netns} instead. */
    public ProxyConfig withNetns(Path netns) {
        return new ProxyConfig(serviceCidr, clusterCidr, nodePortMin, nodePortMax, nodeName, netns, serviceRouteDevice, masqueradeMark,
                syncDelay, minSyncInterval, resyncInterval, retryInterval, nft, nsenter, ip);
    }

    /** This configuration with the ClusterIP routes over {@code device} ({@code null}: none). */
    public ProxyConfig withServiceRouteDevice(String device) {
        return new ProxyConfig(serviceCidr, clusterCidr, nodePortMin, nodePortMax, nodeName, netns, device, masqueradeMark,
                syncDelay, minSyncInterval, resyncInterval, retryInterval, nft, nsenter, ip);
    }

    public ProxyConfig withServiceCidr(Cidr cidr) {
        return new ProxyConfig(cidr, clusterCidr, nodePortMin, nodePortMax, nodeName, netns, serviceRouteDevice, masqueradeMark,
                syncDelay, minSyncInterval, resyncInterval, retryInterval, nft, nsenter, ip);
    }

    public ProxyConfig withClusterCidr(Cidr cidr) {
        return new ProxyConfig(serviceCidr, cidr, nodePortMin, nodePortMax, nodeName, netns, serviceRouteDevice, masqueradeMark,
                syncDelay, minSyncInterval, resyncInterval, retryInterval, nft, nsenter, ip);
    }

    public ProxyConfig withNodePortRange(int min, int max) {
        return new ProxyConfig(serviceCidr, clusterCidr, min, max, nodeName, netns, serviceRouteDevice, masqueradeMark,
                syncDelay, minSyncInterval, resyncInterval, retryInterval, nft, nsenter, ip);
    }

    public ProxyConfig withResyncInterval(Duration d) {
        return new ProxyConfig(serviceCidr, clusterCidr, nodePortMin, nodePortMax, nodeName, netns, serviceRouteDevice, masqueradeMark,
                syncDelay, minSyncInterval, d, retryInterval, nft, nsenter, ip);
    }
}
