package io.capstan.node.proxy;

import io.capstan.node.proxy.ServicePortRule.Endpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Renders {@link ServicePortRule}s into the {@link Ruleset} of {@code table ip capstan}. The
 * fixed skeleton: NAT base chains on prerouting and output jump to {@code services}, which looks
 * the packet's destination address, protocol and port up in the verdict map {@code service-ips}
 * (and, for a local destination other than 127.0.0.0/8, protocol and port in
 * {@code service-nodeports}). A service port's chain ({@code svc-ID}) marks traffic from outside
 * the cluster CIDR for masquerading, sends a client remembered by an affinity set back to its
 * endpoint, and otherwise picks an endpoint chain with {@code numgen random mod N}; the endpoint
 * chain ({@code ep-ID/IP/PORT}) marks hairpin traffic, remembers the client for affinity and DNATs.
 * NodePort traffic enters through {@code ext-ID}, which always marks for masquerade. Filter base
 * chains running before DNAT reject new connections to service ports without endpoints
 * ({@code no-endpoint-services}, {@code no-endpoint-nodeports}); ones running after DNAT reject
 * whatever is still addressed to the service CIDR or a ClusterIP. Postrouting masquerades marked
 * packets.
 */
final class RulesetRenderer {
    private static final Logger LOG = Logger.getLogger(RulesetRenderer.class);
    static final String SERVICE_IPS = "service-ips";
    static final String SERVICE_NODEPORTS = "service-nodeports";
    static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    static final String CLUSTER_IPS = "cluster-ips";
    private static final String IP_MAP = "type ipv4_addr . inet_proto . inet_service : verdict;";
    private static final String PORT_MAP = "type inet_proto . inet_service : verdict;";
    private static final String LOCAL = "fib daddr type local ip daddr != 127.0.0.0/8";

    private RulesetRenderer() {}

    /**
     * The ruleset for {@code ports}. Two ports claiming the same ClusterIP:port or NodePort (bad
     * input the API server should have refused) would make nft refuse the whole transaction, so
     * the first port in id order keeps the address and the other is logged and left out.
     */
    static Ruleset render(List<ServicePortRule> ports, ProxyConfig config) {
        Ruleset r = new Ruleset(ProxyConfig.TABLE);
        skeleton(r, config);
        TreeSet<String> clusterIps = new TreeSet<>();
        Set<String> claimed = new HashSet<>();
        for (ServicePortRule candidate : ports) {
            ServicePortRule port = unclaimed(candidate, claimed);
            clusterIps.addAll(port.clusterIps());
            if (port.clusterIps().isEmpty() && port.nodePort() == 0) {
                continue;
            }
            servicePort(r, port, config);
        }
        for (String ip : clusterIps) {
            r.element(CLUSTER_IPS, ip);
        }
        return r;
    }

    /** {@code port} without the ClusterIPs and NodePort an earlier port already claimed. */
    private static ServicePortRule unclaimed(ServicePortRule port, Set<String> claimed) {
        List<String> ips = new ArrayList<>();
        for (String ip : port.clusterIps()) {
            if (claimed.add(ip + " . " + port.protocol() + " . " + port.port())) {
                ips.add(ip);
            } else {
                LOG.warnf("%s:%d/%s is claimed by another service port; %s left out", ip, port.port(),
                        port.protocol(), port.id());
            }
        }
        int nodePort = port.nodePort();
        if (nodePort != 0 && !claimed.add(port.protocol() + " . " + nodePort)) {
            LOG.warnf("nodePort %d/%s is claimed by another service port; %s left out", nodePort, port.protocol(),
                    port.id());
            nodePort = 0;
        }
        if (ips.equals(port.clusterIps()) && nodePort == port.nodePort()) {
            return port;
        }
        return new ServicePortRule(port.namespace(), port.service(), port.portName(), port.protocol(), port.port(), ips,
                nodePort, port.affinitySeconds(), port.endpoints(), port.localEndpoints(), port.internalLocal(),
                port.externalLocal());
    }

    private static void skeleton(Ruleset r, ProxyConfig config) {
        r.set("map", SERVICE_IPS, IP_MAP)
                .set("map", SERVICE_NODEPORTS, PORT_MAP)
                .set("map", NO_ENDPOINT_SERVICES, IP_MAP)
                .set("map", NO_ENDPOINT_NODEPORTS, PORT_MAP)
                .set("set", CLUSTER_IPS, "type ipv4_addr;");
        // Filter chains before DNAT (-110): refuse service ports without endpoints.
        r.chain("filter-prerouting", "type filter hook prerouting priority -110; policy accept;")
                .rule("filter-prerouting", "ct state new jump endpoints-check");
        r.chain("filter-output", "type filter hook output priority -110; policy accept;")
                .rule("filter-output", "ct state new jump endpoints-check");
        // Filter chains after DNAT: whatever still goes to a service address matched no service port.
        r.chain("filter-forward", "type filter hook forward priority -110; policy accept;")
                .rule("filter-forward", "ct state new jump cluster-ips-check");
        r.chain("filter-output-post-dnat", "type filter hook output priority -90; policy accept;")
                .rule("filter-output-post-dnat", "ct state new jump cluster-ips-check");
        r.chain("nat-prerouting", "type nat hook prerouting priority -100; policy accept;")
                .rule("nat-prerouting", "jump services");
        r.chain("nat-output", "type nat hook output priority -100; policy accept;")
                .rule("nat-output", "jump services");
        r.chain("nat-postrouting", "type nat hook postrouting priority 100; policy accept;")
                .rule("nat-postrouting", "jump masquerading");

        r.chain("endpoints-check")
                .rule("endpoints-check", "ip daddr . meta l4proto . th dport vmap @" + NO_ENDPOINT_SERVICES)
                .rule("endpoints-check", LOCAL + " meta l4proto . th dport vmap @" + NO_ENDPOINT_NODEPORTS);
        r.chain("cluster-ips-check")
                .rule("cluster-ips-check", "ip daddr @" + CLUSTER_IPS + " goto reject-service")
                .rule("cluster-ips-check", "ip daddr " + config.serviceCidr() + " goto reject-service");
        r.chain("reject-service")
                .rule("reject-service", "meta l4proto tcp reject with tcp reset")
                .rule("reject-service", "reject");
        String mark = String.format("0x%x", config.masqueradeMark());
        r.chain("mark-for-masquerade")
                .rule("mark-for-masquerade", "meta mark set meta mark | " + mark);
        r.chain("masquerading")
                .rule("masquerading", "meta mark & " + mark + " == 0 return")
                .rule("masquerading", "meta mark set meta mark ^ " + mark)
                .rule("masquerading", "masquerade fully-random");
        r.chain("services")
                .rule("services", "ip daddr . meta l4proto . th dport vmap @" + SERVICE_IPS)
                .rule("services", LOCAL + " meta l4proto . th dport vmap @" + SERVICE_NODEPORTS);
    }

    /**
     * A service port's map elements and chains. Internal traffic (to a ClusterIP) goes to
     * {@code svc-ID} over all endpoints, or to {@code svl-ID} over this node's endpoints with
     * {@code internalTrafficPolicy: Local}; no endpoint to go to means refusal. NodePort traffic
     * enters {@code ext-ID}: with {@code externalTrafficPolicy: Cluster} it is masqueraded and
     * goes to {@code svc-ID}; with {@code Local} traffic from pods and from the node itself is
     * treated as internal, and other clients go to {@code svl-ID} unmasqueraded (keeping their
     * source address), or are dropped when this node has no endpoint, as kube-proxy does.
     */
    private static void servicePort(Ruleset r, ServicePortRule port, ProxyConfig config) {
        String all = port.endpoints().isEmpty() ? null : pick(r, port, "svc-", port.endpoints(), config);
        boolean usesLocal = port.internalLocal() || port.externalLocal();
        String local = !usesLocal || port.localEndpoints().isEmpty()
                ? null : pick(r, port, "svl-", port.localEndpoints(), config);
        String internal = port.internalLocal() ? local : all;
        for (String ip : port.clusterIps()) {
            String key = ip + " . " + port.protocol() + " . " + port.port();
            if (internal == null) {
                r.element(NO_ENDPOINT_SERVICES, key + " : goto reject-service");
            } else {
                r.element(SERVICE_IPS, key + " : goto " + internal);
            }
        }
        if (port.nodePort() == 0) {
            return;
        }
        String key = port.protocol() + " . " + port.nodePort();
        if (all == null) {
            r.element(NO_ENDPOINT_NODEPORTS, key + " : goto reject-service");
            return;
        }
        String ext = "ext-" + port.id();
        r.chain(ext);
        if (!port.externalLocal()) {
            r.rule(ext, "jump mark-for-masquerade").rule(ext, "goto " + all);
        } else {
            String in = internal == null ? "reject-service" : internal;
            r.rule(ext, "ip saddr " + config.clusterCidr() + " goto " + in)
                    .rule(ext, "fib saddr type local jump mark-for-masquerade")
                    .rule(ext, "fib saddr type local goto " + in)
                    .rule(ext, local == null ? "drop" : "goto " + local);
        }
        r.element(SERVICE_NODEPORTS, key + " : goto " + ext);
    }

    /** Chain {@code prefix + id} spreading over {@code endpoints}; creates the endpoint chains it needs. */
    private static String pick(Ruleset r, ServicePortRule port, String prefix, List<Endpoint> endpoints,
            ProxyConfig config) {
        String chain = prefix + port.id();
        r.chain(chain);
        for (String ip : port.clusterIps()) {
            r.rule(chain, "ip daddr " + ip + " " + port.protocol() + " dport " + port.port()
                    + " ip saddr != " + config.clusterCidr() + " jump mark-for-masquerade");
        }
        List<String> endpointChains = new ArrayList<>();
        for (Endpoint e : endpoints) {
            String suffix = port.id() + "/" + e.ip() + "/" + e.port();
            String ep = "ep-" + suffix;
            endpointChains.add(ep);
            boolean created = r.chains().containsKey(ep);
            if (!created) {
                r.chain(ep).rule(ep, "ip saddr " + e.ip() + " jump mark-for-masquerade");
            }
            if (port.affinitySeconds() > 0) {
                String affinity = "aff-" + suffix;
                r.rule(chain, "ip saddr @" + affinity + " goto " + ep);
                if (!created) {
                    r.set("set", affinity, "type ipv4_addr; flags dynamic,timeout; timeout " + port.affinitySeconds()
                            + "s;");
                    r.rule(ep, "update @" + affinity + " { ip saddr }");
                }
            }
            if (!created) {
                r.rule(ep, "meta l4proto " + port.protocol() + " dnat to " + e);
            }
        }
        StringBuilder vmap = new StringBuilder("numgen random mod " + endpointChains.size() + " vmap { ");
        for (int i = 0; i < endpointChains.size(); i++) {
            vmap.append(i == 0 ? "" : ", ").append(i).append(" : goto ").append(endpointChains.get(i));
        }
        r.rule(chain, vmap.append(" }").toString());
        return chain;
    }
}
