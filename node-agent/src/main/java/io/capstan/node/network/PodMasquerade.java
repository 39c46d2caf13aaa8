package io.capstan.node.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Masquerading of pods' traffic leaving the cluster, once per node: one rule in the nftables table
 * {@code ip capstan-pods} (hook postrouting, srcnat) for source addresses in the node's podCIDR
 * and destinations outside the cluster pod CIDR and multicast. It replaces the bridge plugin's
 * {@code ipMasq}, which made one iptables chain per pod with seven iptables runs per ADD. Traffic
 * to other nodes' pods keeps its source address. The table stays while pods run without an agent
 * and is removed by {@link PodNetwork#cleanup}.
 */
final class PodMasquerade {
    static final String TABLE = "capstan-pods";

    private final HostExec host;
    private final NetworkConfig config;

    PodMasquerade(HostExec host, NetworkConfig config) {
        this.host = host;
        this.config = config;
    }

    /** Installs (or replaces, atomically) the table. */
    void install() throws IOException {
        String rules = "table ip " + TABLE + " {}\n"
                + "delete table ip " + TABLE + "\n"
                + "table ip " + TABLE + " {\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ip saddr " + Cidr.parse(config.podCidr()) + " ip daddr != " + Cidr.parse(config.clusterCidr())
                + " ip daddr != 224.0.0.0/4 masquerade\n"
                + "  }\n"
                + "}\n";
        HostExec.Outcome o = host.run(List.of("nft", "-f", "-"), Map.of(), rules.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30));
        if (!o.ok()) {
            throw new IOException("cannot install the pod masquerade table: " + o.stderr().strip());
        }
    }

    /** Removes the table; a missing one is fine. */
    void remove() throws IOException {
        if (!host.run("nft", "list", "table", "ip", TABLE).ok()) {
            return;
        }
        HostExec.Outcome o = host.run("nft", "delete", "table", "ip", TABLE);
        if (!o.ok()) {
            throw new IOException("cannot remove table ip " + TABLE + ": " + o.stderr().strip());
        }
    }
}
