package io.capstan.node.proxy;

import io.capstan.node.proxy.ServicePortRule.Endpoint;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Turns Services and EndpointSlices into the {@link ServicePortRule}s to program, as kube-proxy
 * reads them: a service port takes the endpoints of the IPv4 slices labelled
 * {@code kubernetes.io/service-name} whose port has the same name and protocol (so a named
 * targetPort arrives already resolved, per endpoint set, in the slice's port number). Endpoints
 * are those whose {@code ready} condition is true or unset; when none is, the serving terminating
 * ones, as kube-proxy falls back to them. With a Local traffic policy and a node name in the
 * config, the endpoints on this node are collected too. Headless and ExternalName services, non-IPv4 addresses
 * and names that would not make safe rule names are skipped (logged), never fatal.
 */
final class ServicePorts {
    private static final Logger LOG = Logger.getLogger(ServicePorts.class);
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** Default ClientIP affinity timeout, as Kubernetes: three hours. */
    static final int DEFAULT_AFFINITY_SECONDS = 10800;
    /** What namespaces, service names and port names may be (DNS labels, IANA service names). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    private ServicePorts() {}

    static List<ServicePortRule> build(Collection<Service> services, Collection<EndpointSlice> slices,
            ProxyConfig config) {
        Map<String, List<EndpointSlice>> byService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            if (!"IPv4".equals(slice.getAddressType()) || slice.getMetadata() == null
                    || slice.getMetadata().getLabels() == null) {
                continue;
            }
            String service = slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            if (service != null) {
                byService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>())
                        .add(slice);
            }
        }
        List<ServicePortRule> rules = new ArrayList<>();
        for (Service service : services) {
            try {
                String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
                rules.addAll(rules(service, byService.getOrDefault(key, List.of()), config));
            } catch (RuntimeException e) {
                LOG.warnf(e, "service skipped service=%s/%s", service.getMetadata().getNamespace(),
                        service.getMetadata().getName());
            }
        }
        rules.sort(Comparator.comparing(ServicePortRule::id));
        return rules;
    }

    private static List<ServicePortRule> rules(Service service, List<EndpointSlice> slices, ProxyConfig config) {
        ServiceSpec spec = service.getSpec();
        String ns = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        if (spec == null || "ExternalName".equals(spec.getType()) || spec.getPorts() == null) {
            return List.of();
        }
        List<String> clusterIps = clusterIps(spec);
        boolean nodePorts = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
        if (clusterIps.isEmpty()) {
            return List.of(); // headless, not yet allocated, or IPv6 only
        }
        if (!safe(ns) || !safe(name)) {
            LOG.warnf("service skipped: name not usable in rules service=%s/%s", ns, name);
            return List.of();
        }
        int affinity = affinitySeconds(spec);
        boolean local = config.nodeName() != null && ("Local".equals(spec.getInternalTrafficPolicy())
                || "Local".equals(spec.getExternalTrafficPolicy()));
        List<ServicePortRule> rules = new ArrayList<>();
        for (ServicePort port : spec.getPorts()) {
            String portName = port.getName() == null ? "" : port.getName();
            String protocol = protocol(port.getProtocol());
            if (protocol == null || port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535
                    || !(portName.isEmpty() || safe(portName))) {
                LOG.warnf("service port skipped service=%s/%s port=%s protocol=%s", ns, name, port.getPort(),
                        port.getProtocol());
                continue;
            }
            int nodePort = 0;
            if (nodePorts && port.getNodePort() != null) {
                if (port.getNodePort() >= config.nodePortMin() && port.getNodePort() <= config.nodePortMax()) {
                    nodePort = port.getNodePort();
                } else {
                    LOG.warnf("nodePort outside the range skipped service=%s/%s nodePort=%d", ns, name,
                            port.getNodePort());
                }
            }
            String sliceProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
            rules.add(new ServicePortRule(ns, name, portName, protocol, port.getPort(), clusterIps, nodePort, affinity,
                    endpoints(slices, portName, sliceProtocol, null),
                    local ? endpoints(slices, portName, sliceProtocol, config.nodeName()) : List.of(),
                    local && "Local".equals(spec.getInternalTrafficPolicy()),
                    local && nodePort != 0 && "Local".equals(spec.getExternalTrafficPolicy())));
        }
        return rules;
    }

    private static List<String> clusterIps(ServiceSpec spec) {
        Set<String> ips = new LinkedHashSet<>();
        if (spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty()) {
            ips.addAll(spec.getClusterIPs());
        } else if (spec.getClusterIP() != null) {
            ips.add(spec.getClusterIP());
        }
        ips.removeIf(ip -> !Cidr.isIpv4(ip));
        return List.copyOf(ips);
    }

    private static int affinitySeconds(ServiceSpec spec) {
        if (!"ClientIP".equals(spec.getSessionAffinity())) {
            return 0;
        }
        Integer timeout = spec.getSessionAffinityConfig() == null
                || spec.getSessionAffinityConfig().getClientIP() == null
                ? null : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
        return timeout == null || timeout < 1 ? DEFAULT_AFFINITY_SECONDS : timeout;
    }

    private static String protocol(String protocol) {
        return switch (protocol == null ? "TCP" : protocol) {
            case "TCP" -> "tcp";
            case "UDP" -> "udp";
            case "SCTP" -> "sctp";
            default -> null;
        };
    }

    /**
     * Ready endpoints of the slices' port named {@code portName} with {@code protocol}, else the
     * serving terminating ones; only those on node {@code node} unless it is null.
     */
    private static List<Endpoint> endpoints(List<EndpointSlice> slices, String portName, String protocol,
            String node) {
        Set<Endpoint> ready = new TreeSet<>();
        Set<Endpoint> terminating = new TreeSet<>();
        for (EndpointSlice slice : slices) {
            Integer target = slicePort(slice, portName, protocol);
            if (target == null || slice.getEndpoints() == null) {
                continue;
            }
            for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint e : slice.getEndpoints()) {
                if (e.getAddresses() == null || e.getAddresses().isEmpty() || !Cidr.isIpv4(e.getAddresses().get(0))
                        || (node != null && !node.equals(e.getNodeName()))) {
                    continue;
                }
                Endpoint endpoint = new Endpoint(e.getAddresses().get(0), target);
                EndpointConditions c = e.getConditions();
                if (c == null || c.getReady() == null || c.getReady()) {
                    ready.add(endpoint);
                } else if (Boolean.TRUE.equals(c.getServing()) && Boolean.TRUE.equals(c.getTerminating())) {
                    terminating.add(endpoint);
                }
            }
        }
        return List.copyOf(ready.isEmpty() ? terminating : ready);
    }

    private static Integer slicePort(EndpointSlice slice, String portName, String protocol) {
        if (slice.getPorts() == null) {
            return null;
        }
        for (EndpointPort p : slice.getPorts()) {
            String name = p.getName() == null ? "" : p.getName();
            String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (name.equals(portName) && proto.equals(protocol) && p.getPort() != null
                    && p.getPort() > 0 && p.getPort() <= 65535) {
                return p.getPort();
            }
        }
        return null;
    }

    private static boolean safe(String name) {
        return name != null && NAME.matcher(name).matches() && !Objects.equals(name, "");
    }
}
