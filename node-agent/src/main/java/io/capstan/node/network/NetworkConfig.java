package io.capstan.node.network;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the node's pod network is built.
 *
 * @param networkName the CNI network name ({@code capstan}); part of iptables chain names and of
 *     the IPAM state directory
 * @param clusterCidr the whole cluster's pod CIDR (10.244.0.0/16): an {@code unreachable} route
 * @param serviceCidr the service CIDR (10.96.0.0/12): an {@code unreachable} route
 * @param podCidr this node's share of the cluster CIDR ({@code node.spec.podCIDR}, e.g.
 *     10.244.1.0/24); the bridge's gateway is its first address
 * @param bridge the node bridge ({@code capstan0})
 * @param pluginDirs where CNI plugin binaries are looked up, in order ({@code /usr/lib/cni},
 *     {@code /opt/cni/bin})
 * @param dataDir the agent's data directory; the network keeps {@code network/} and
 *     {@code run/netns/} under it
 * @param mtu the MTU of the bridge and the pods' interfaces
 * @param ipMasq whether pods' traffic leaving the cluster pod CIDR is masqueraded (once per node, in the
 *     nftables table {@code ip capstan-pods}; see {@link PodMasquerade})
 * @param hostNetns the network namespace that plays the node's host namespace (plugins, routes and
 *     rules are made there, through {@code nsenter --net=}), or {@code null} for the agent's own
 * @param pluginTimeout how long one plugin invocation may take before it is killed
 * @param mode how pods are attached: {@link Mode#CAPSTAN_BRIDGE} (native, the default) or
 *     {@link Mode#CNI} (the standard plugins)
 */
public record NetworkConfig(
        String networkName,
        String clusterCidr,
        String serviceCidr,
        String podCidr,
        String bridge,
        List<Path> pluginDirs,
        Path dataDir,
        int mtu,
        boolean ipMasq,
        Path hostNetns,
        Duration pluginTimeout,
        Mode mode) {

    /** How pods are put on the node bridge. */
    public enum Mode {
        /**
         * capstan's own: the shim's {@code net} mode makes the namespace, {@code lo}, the veth pair, the
         * address and the route with rtnetlink in one process; addresses from {@link Ipam}. Only
         * hostPorts still use a CNI plugin ({@code portmap}). ADR 0014.
         */
        CAPSTAN_BRIDGE("capstan-bridge"),
        /** The standard CNI plugins: loopback, bridge with host-local, portmap (ADR 0009). */
        CNI("cni");

        private final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        /** The name on the command line and in state files. */
        public String flag() {
            return flag;
        }

        /** The mode named {@code flag}. */
        public static Mode of(String flag) {
            for (Mode m : values()) {
                if (m.flag.equals(flag)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown pod network mode " + flag + " (capstan-bridge or cni)");
        }
    }

    public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";
    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
    public static final String DEFAULT_BRIDGE = "capstan0";
    public static final List<Path> DEFAULT_PLUGIN_DIRS = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));

    public NetworkConfig {
        Cidr.parse(clusterCidr);
        Cidr.parse(serviceCidr);
        Cidr.parse(podCidr);
        pluginDirs = List.copyOf(pluginDirs);
        mode = mode == null ? Mode.CAPSTAN_BRIDGE : mode;
        if (!bridge.startsWith("capstan") || bridge.length() > 15) {
            throw new IllegalArgumentException("bridge name must start with capstan and fit 15 characters: " + bridge);
        }
    }

    /**
     * The defaults for a node with {@code podCidr}: capstan0, MTU 1500, masquerade, the agent's own netns,
     * 30 s, the native capstan-bridge.
     */
    public static NetworkConfig defaults(Path dataDir, String podCidr) {
        return new NetworkConfig("capstan", DEFAULT_CLUSTER_CIDR, DEFAULT_SERVICE_CIDR, podCidr, DEFAULT_BRIDGE,
                DEFAULT_PLUGIN_DIRS, dataDir, 1500, true, null, Duration.ofSeconds(30), Mode.CAPSTAN_BRIDGE);
    }

    /** A copy whose host namespace is {@code netns} (a path such as {@code /run/netns/NAME}). */
    public NetworkConfig withHostNetns(Path netns) {
        return new NetworkConfig(networkName, clusterCidr, serviceCidr, podCidr, bridge, pluginDirs, dataDir, mtu,
                ipMasq, netns, pluginTimeout, mode);
    }

    /** A copy with other plugin directories. */
    public NetworkConfig withPluginDirs(List<Path> dirs) {
        return new NetworkConfig(networkName, clusterCidr, serviceCidr, podCidr, bridge, dirs, dataDir, mtu,
                ipMasq, hostNetns, pluginTimeout, mode);
    }

    /** A copy with another bridge name. */
    public NetworkConfig withBridge(String name) {
        return new NetworkConfig(networkName, clusterCidr, serviceCidr, podCidr, name, pluginDirs, dataDir, mtu,
                ipMasq, hostNetns, pluginTimeout, mode);
    }

    /** A copy that attaches pods the {@code other} way. */
    public NetworkConfig withMode(Mode other) {
        return new NetworkConfig(networkName, clusterCidr, serviceCidr, podCidr, bridge, pluginDirs, dataDir, mtu,
                ipMasq, hostNetns, pluginTimeout, other);
    }

    /** host-local's dataDir: leases survive agent restarts. */
    public Path ipamDir() {
        return dataDir.resolve("network/ipam");
    }

    /** One JSON file per pod with what DEL and CHECK need (the ADD result, port mappings). */
    public Path podStateDir() {
        return dataDir.resolve("network/pods");
    }

    /** The pinned pod network namespaces. */
    public Path netnsDir() {
        return dataDir.resolve("run/netns");
    }
}
