package io.capstan.node.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable view of the cluster zone at one moment: the records of every name, the set of names
 * that exist (owners and their ancestors, so an empty non-terminal answers NODATA, not NXDOMAIN) and
 * the SOA returned in the authority section of negative answers.
 */
final class ZoneSnapshot {
    /** One answer: rcode and the three record sections. */
    record Answer(int rcode, List<DnsRecord> answers, List<DnsRecord> authority, List<DnsRecord> additional) {}

    private final String domain;
    private final long ttl;
    private final Map<String, List<DnsRecord>> records;
    private final Set<String> names;
    private final DnsRecord soa;

    ZoneSnapshot(String domain, long ttl, Map<String, List<DnsRecord>> records, Set<String> names, DnsRecord soa) {
        this.domain = domain;
        this.ttl = ttl;
        this.records = records;
        this.names = names;
        this.soa = soa;
    }

    /** A zone with nothing but its apex. */
    static ZoneSnapshot empty(String domain, long ttl) {
        return new ZoneBuilder(domain, ttl, null).build();
    }

    String domain() {
        return domain;
    }

    /** Whether {@code name} (canonical) is the cluster domain or below it. */
    boolean inZone(String name) {
        return name.equals(domain) || name.endsWith("." + domain);
    }

    /**
     * The authoritative answer to {@code q}, or empty when the name is not this server's to answer
     * (outside the cluster domain, and not the reverse name of an address the cluster holds): such
     * questions are forwarded.
     */
    Optional<Answer> lookup(DnsMessage.Question q) {
        String name = DnsRecord.canonical(q.name());
        List<DnsRecord> owned = records.get(name);
        if (!inZone(name)) {
            if (owned == null) {
                return Optional.empty();
            }
            return Optional.of(answer(q, owned));
        }
        if (owned == null) {
            owned = podRecord(name);
        }
        if (owned != null) {
            return Optional.of(answer(q, owned));
        }
        int rcode = names.contains(name) ? DnsMessage.NOERROR : DnsMessage.NXDOMAIN;
        return Optional.of(new Answer(rcode, List.of(), List.of(soa), List.of()));
    }

    private Answer answer(DnsMessage.Question q, List<DnsRecord> owned) {
        List<DnsRecord> out = new ArrayList<>();
        for (DnsRecord r : owned) {
            if (q.type() == r.type() || q.type() == DnsRecord.ANY) {
                out.add(r.withName(q.name()));
            }
        }
        if (out.isEmpty()) {
            // An ExternalName service answers every type with its CNAME.
            for (DnsRecord r : owned) {
                if (r.type() == DnsRecord.CNAME) {
                    out.add(r.withName(q.name()));
                }
            }
        }
        if (out.isEmpty()) {
            return new Answer(DnsMessage.NOERROR, List.of(), List.of(soa), List.of());
        }
        List<DnsRecord> extra = new ArrayList<>();
        for (DnsRecord r : out) {
            if (r.data() instanceof DnsRecord.Srv srv) {
                for (DnsRecord t : records.getOrDefault(DnsRecord.canonical(srv.target()), List.of())) {
                    if ((t.type() == DnsRecord.A || t.type() == DnsRecord.AAAA) && !extra.contains(t)) {
                        extra.add(t);
                    }
                }
            }
        }
        return new Answer(DnsMessage.NOERROR, out, List.of(), extra);
    }

    /** {@code a-b-c-d.<namespace>.pod.<domain>}: the address the name spells, as CoreDNS' "pods insecure". */
    private List<DnsRecord> podRecord(String name) {
        String suffix = ".pod." + domain;
        if (!name.endsWith(suffix)) {
            return null;
        }
        String[] labels = name.substring(0, name.length() - suffix.length()).split("\\.");
        if (labels.length != 2) {
            return null;
        }
        String ip = labels[0].indexOf('-') >= 0 && labels[0].matches("[0-9-]+")
                ? labels[0].replace('-', '.') : labels[0].replace('-', ':');
        return Addresses.parse(ip)
                .map(b -> List.of(DnsRecord.of(name, ttl, new DnsRecord.Address(b))))
                .orElse(null);
    }
}
