package io.capstan.node.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ZoneSnapshot} from Services and their EndpointSlices, with the records CoreDNS'
 * kubernetes plugin serves: A/AAAA of {@code <svc>.<ns>.svc.<domain>} (the ClusterIPs, or for a
 * headless service the ready endpoints), {@code <host>.<svc>.<ns>.svc.<domain>} for the endpoints
 * of headless services (host = the endpoint's hostname or its dashed address), SRV for named ports,
 * PTR for ClusterIPs and headless endpoints, CNAME for ExternalName services.
 */
final class ZoneBuilder {
    private final String domain;
    private final long ttl;
    private final byte[] nameserver;
    private final Map<String, Set<DnsRecord>> records = new HashMap<>();
    private final Map<String, List<DnsRecord.Srv>> srvs = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();

    /** {@code nameserver}: the address {@code ns.dns.<domain>} resolves to, or null. */
    ZoneBuilder(String domain, long ttl, byte[] nameserver) {
        this.domain = DnsRecord.canonical(domain);
        this.ttl = ttl;
        this.nameserver = nameserver;
    }

    /** Adds {@code service}'s records; {@code slices} are the EndpointSlices labelled with its name. */
    ZoneBuilder add(Service service, List<EndpointSlice> slices) {
        var meta = service.getMetadata();
        var spec = service.getSpec();
        if (meta == null || spec == null || meta.getName() == null || meta.getNamespace() == null) {
            return this;
        }
        String fqdn = lower(meta.getName()) + "." + lower(meta.getNamespace()) + ".svc." + domain;
        names.add(fqdn);
        if ("ExternalName".equals(spec.getType())) {
            if (spec.getExternalName() != null && !spec.getExternalName().isBlank()) {
                put(fqdn, new DnsRecord.NameData(DnsRecord.CNAME, DnsRecord.canonical(spec.getExternalName())));
            }
            return this;
        }
        if ("None".equals(spec.getClusterIP())) {
            headless(fqdn, slices);
            return this;
        }
        List<String> ips = spec.getClusterIPs() == null || spec.getClusterIPs().isEmpty()
                ? (spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP()))
                : spec.getClusterIPs();
        boolean any = false;
        for (String ip : ips) {
            var bytes = Addresses.parse(ip);
            if (bytes.isPresent()) {
                any = true;
                put(fqdn, new DnsRecord.Address(bytes.get()));
                put(Addresses.reverseName(bytes.get()), new DnsRecord.NameData(DnsRecord.PTR, fqdn));
            }
        }
        if (any && spec.getPorts() != null) {
            for (ServicePort p : spec.getPorts()) {
                if (p.getName() != null && !p.getName().isEmpty() && p.getPort() != null) {
                    srv(p.getName(), p.getProtocol(), fqdn, new DnsRecord.Srv(0, 0, p.getPort(), fqdn));
                }
            }
        }
        return this;
    }

    private void headless(String fqdn, List<EndpointSlice> slices) {
        for (EndpointSlice slice : slices) {
            if (slice.getEndpoints() == null || !("IPv4".equals(slice.getAddressType())
                    || "IPv6".equals(slice.getAddressType()))) {
                continue;
            }
            for (Endpoint ep : slice.getEndpoints()) {
                boolean ready = ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
                if (!ready || ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
                    continue;
                }
                // The addresses of one endpoint are fungible; like CoreDNS, serve the first.
                String ip = ep.getAddresses().get(0);
                var bytes = Addresses.parse(ip);
                if (bytes.isEmpty()) {
                    continue;
                }
                String host = (ep.getHostname() != null && !ep.getHostname().isEmpty()
                        ? lower(ep.getHostname()) : Addresses.dashed(ip)) + "." + fqdn;
                var addr = new DnsRecord.Address(bytes.get());
                put(fqdn, addr);
                put(host, addr);
                put(Addresses.reverseName(bytes.get()), new DnsRecord.NameData(DnsRecord.PTR, host));
                if (slice.getPorts() != null) {
                    for (EndpointPort p : slice.getPorts()) {
                        if (p.getName() != null && !p.getName().isEmpty() && p.getPort() != null) {
                            srv(p.getName(), p.getProtocol(), fqdn, new DnsRecord.Srv(0, 0, p.getPort(), host));
                        }
                    }
                }
            }
        }
    }

    private void srv(String port, String protocol, String fqdn, DnsRecord.Srv srv) {
        String proto = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        String owner = "_" + lower(port) + "._" + proto + "." + fqdn;
        List<DnsRecord.Srv> list = srvs.computeIfAbsent(owner, k -> new ArrayList<>());
        if (!list.contains(srv)) {
            list.add(srv);
        }
    }

    private void put(String owner, DnsRecord.Data data) {
        records.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(DnsRecord.of(owner, ttl, data));
    }

    /** The snapshot; SRV weights share 100 among the targets of a name, as CoreDNS does. */
    ZoneSnapshot build() {
        srvs.forEach((owner, list) -> {
            int weight = Math.max(1, 100 / list.size());
            for (DnsRecord.Srv s : list) {
                put(owner, new DnsRecord.Srv(s.priority(), weight, s.port(), s.target()));
            }
        });
        String ns = "ns.dns." + domain;
        DnsRecord soa = DnsRecord.of(domain, ttl, new DnsRecord.Soa(ns, "hostmaster." + domain,
                System.currentTimeMillis() / 1000, 7200, 1800, 86400, ttl));
        records.computeIfAbsent(domain, k -> new LinkedHashSet<>()).add(soa);
        put(domain, new DnsRecord.NameData(DnsRecord.NS, ns));
        if (nameserver != null) {
            put(ns, new DnsRecord.Address(nameserver));
        }
        Map<String, List<DnsRecord>> frozen = new HashMap<>();
        Set<String> all = new HashSet<>(names);
        records.forEach((owner, rs) -> {
            frozen.put(owner, List.copyOf(rs));
            all.add(owner);
        });
        Set<String> withAncestors = new HashSet<>();
        for (String n : all) {
            String cur = n;
            while (cur.endsWith("." + domain)) {
                withAncestors.add(cur);
                cur = cur.substring(cur.indexOf('.') + 1);
            }
        }
        withAncestors.add(domain);
        withAncestors.add("svc." + domain);
        withAncestors.add("pod." + domain);
        return new ZoneSnapshot(domain, ttl, Map.copyOf(frozen), Set.copyOf(withAncestors), soa);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
