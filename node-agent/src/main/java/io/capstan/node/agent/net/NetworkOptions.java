package io.capstan.node.agent.net;

import io.capstan.node.dns.DnsConfig;
import io.capstan.node.network.NetworkConfig;
import java.util.List;
import java.util.Objects;

/**
 * How the agent networks its pods; one immutable value.
 *
 * @param podCidr the node's podCIDR to use while {@code node.spec.podCIDR} is unset (kubelet's
 *     {@code --pod-cidr}); {@code null} to wait for the node IPAM controller
 * @param clusterCidr the cluster pod CIDR (an unreachable safety route)
 * @param serviceCidr the service CIDR (an unreachable safety route)
 * @param clusterDns the cluster DNS addresses written into pods' resolv.conf (kubelet's
 *     {@code --cluster-dns}); the node's DNS server listens on them; empty for none
 * @param clusterDomain the cluster domain (kubelet's {@code --cluster-domain})
 * @param dnsServer whether the agent runs the cluster DNS server on this node
 * @param hostGwRoutes whether the agent routes other nodes' podCIDRs via their InternalIPs (host-gw,
 *     ADR 0012; the nodes must share a link)
 * @param podNetwork how pods are attached to the bridge: natively ({@code capstan-bridge}, the default,
 *     ADR 0014) or with the standard CNI plugins ({@code cni}, ADR 0009)
 */
public record NetworkOptions(String podCidr, String clusterCidr, String serviceCidr, List<String> clusterDns,
        String clusterDomain, boolean dnsServer, boolean hostGwRoutes, NetworkConfig.Mode podNetwork) {

    public NetworkOptions {
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        clusterDns = List.copyOf(clusterDns);
        clusterDns.forEach(DnsConfig::literal);
        podNetwork = podNetwork == null ? NetworkConfig.Mode.CAPSTAN_BRIDGE : podNetwork;
    }

    /**
     * The defaults: no podCIDR fallback, 10.244.0.0/16, 10.96.0.0/12, DNS 10.96.0.10, cluster.local, a
     * DNS server, no routes to other nodes.
     */
    public static NetworkOptions defaults() {
        return new NetworkOptions(null, NetworkConfig.DEFAULT_CLUSTER_CIDR, NetworkConfig.DEFAULT_SERVICE_CIDR,
                List.of(DnsConfig.DEFAULT_CLUSTER_DNS), DnsConfig.DEFAULT_CLUSTER_DOMAIN, true, false,
                NetworkConfig.Mode.CAPSTAN_BRIDGE);
    }

    public NetworkOptions withPodCidr(String cidr) {
        return new NetworkOptions(cidr, clusterCidr, serviceCidr, clusterDns, clusterDomain, dnsServer, hostGwRoutes,
                podNetwork);
    }

    /** Other cluster pod and service CIDRs (the server's --cluster-cidr and --service-cluster-ip-range). */
    public NetworkOptions withCidrs(String cluster, String service) {
        return new NetworkOptions(podCidr, cluster, service, clusterDns, clusterDomain, dnsServer, hostGwRoutes,
                podNetwork);
    }

    public NetworkOptions withClusterDns(List<String> addresses) {
        return new NetworkOptions(podCidr, clusterCidr, serviceCidr, addresses, clusterDomain, dnsServer, hostGwRoutes,
                podNetwork);
    }

    public NetworkOptions withClusterDomain(String domain) {
        return new NetworkOptions(podCidr, clusterCidr, serviceCidr, clusterDns, domain, dnsServer, hostGwRoutes,
                podNetwork);
    }

    public NetworkOptions withHostGwRoutes(boolean on) {
        return new NetworkOptions(podCidr, clusterCidr, serviceCidr, clusterDns, clusterDomain, dnsServer, on,
                podNetwork);
    }

    public NetworkOptions withPodNetwork(NetworkConfig.Mode mode) {
        return new NetworkOptions(podCidr, clusterCidr, serviceCidr, clusterDns, clusterDomain, dnsServer, hostGwRoutes,
                mode);
    }

    public NetworkOptions withDnsServer(boolean on) {
        return new NetworkOptions(podCidr, clusterCidr, serviceCidr, clusterDns, clusterDomain, on, hostGwRoutes,
                podNetwork);
    }
}
