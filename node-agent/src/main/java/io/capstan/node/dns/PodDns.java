package io.capstan.node.dns;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The resolv.conf a pod gets, computed as kubelet does from {@code spec.dnsPolicy},
 * {@code spec.hostNetwork} and {@code spec.dnsConfig}:
 * <ul>
 *   <li>ClusterFirst (the default; on a hostNetwork pod it means Default) and ClusterFirstWithHostNet:
 *       the cluster DNS addresses as nameservers; search {@code <ns>.svc.<domain> svc.<domain> <domain>}
 *       followed by the host's search domains; options {@code ndots:5}. Without a cluster DNS address
 *       the pod falls back to Default, with a MissingClusterDNS warning.</li>
 *   <li>Default: the node's resolv.conf (nameservers, search, options).</li>
 *   <li>None: nothing but {@code dnsConfig}.</li>
 * </ul>
 * Then {@code dnsConfig} is appended: nameservers and searches added after the existing ones
 * without duplicates, options merged by name (the pod's value wins). Limits as kubelet applies them:
 * at most 3 nameservers; at most 32 search domains, none longer than 253 characters, the search line
 * at most 2048 characters (domains dropped from the end); every cut is reported as a
 * DNSConfigForming warning for the pod's events.
 */
public final class PodDns {
    public static final int MAX_NAMESERVERS = 3;
    public static final int MAX_SEARCH_PATHS = 32;
    public static final int MAX_SEARCH_LINE_CHARS = 2048;
    private static final int MAX_DOMAIN_LENGTH = 253;

    /** A warning kubelet records as an event on the pod (reason MissingClusterDNS or DNSConfigForming). */
    public record Warning(String reason, String message) {}

    /** The resolv.conf and the warnings to record as Warning events. */
    public record Result(ResolvConf resolvConf, List<Warning> warnings) {}

    private final String clusterDomain;
    private final List<String> clusterDns;
    private final ResolvConf host;

    /**
     * @param clusterDomain the cluster domain (cluster.local)
     * @param clusterDns the cluster DNS service addresses (10.96.0.10); empty when there is none
     * @param host the node's resolv.conf (kubelet's --resolv-conf)
     */
    public PodDns(String clusterDomain, List<String> clusterDns, ResolvConf host) {
        this.clusterDomain = DnsRecord.canonical(clusterDomain);
        this.clusterDns = List.copyOf(clusterDns);
        this.host = host;
    }

    public Result forPod(Pod pod) {
        List<Warning> warnings = new ArrayList<>();
        var spec = pod.getSpec();
        String policy = spec.getDnsPolicy() == null || spec.getDnsPolicy().isEmpty() ? "ClusterFirst" : spec.getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        List<String> servers;
        List<String> searches;
        List<String> options;
        boolean cluster = policy.equals("ClusterFirstWithHostNet")
                || (!policy.equals("None") && !policy.equals("Default") && !hostNetwork);
        if (policy.equals("None")) {
            servers = List.of();
            searches = List.of();
            options = List.of();
        } else if (cluster && !clusterDns.isEmpty()) {
            servers = clusterDns;
            String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
            List<String> s = new ArrayList<>(List.of(ns + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain));
            s.addAll(host.searches());
            searches = distinct(s);
            options = List.of("ndots:5");
        } else {
            if (cluster) {
                warnings.add(new Warning("MissingClusterDNS", "kubelet does not have ClusterDNS IP configured and "
                        + "cannot create Pod using \"" + policy + "\" policy. Falling back to \"Default\" policy."));
            }
            servers = host.nameservers();
            searches = host.searches();
            options = host.options();
        }
        PodDNSConfig extra = spec.getDnsConfig();
        if (extra != null) {
            servers = distinct(concat(servers, extra.getNameservers()));
            searches = distinct(concat(searches, extra.getSearches()));
            options = mergeOptions(options, extra.getOptions());
        }
        if (servers.size() > MAX_NAMESERVERS) {
            servers = servers.subList(0, MAX_NAMESERVERS);
            warnings.add(new Warning("DNSConfigForming", "Nameserver limits were exceeded, some nameservers have "
                    + "been omitted, the applied nameserver line is: " + String.join(" ", servers)));
        }
        searches = fitSearches(searches, warnings);
        return new Result(new ResolvConf(servers, searches, options), warnings);
    }

    private static List<String> fitSearches(List<String> in, List<Warning> warnings) {
        boolean cut = false;
        List<String> s = new ArrayList<>(in);
        if (s.size() > MAX_SEARCH_PATHS) {
            s = new ArrayList<>(s.subList(0, MAX_SEARCH_PATHS));
            cut = true;
        }
        cut |= s.removeIf(d -> d.length() > MAX_DOMAIN_LENGTH);
        int line = String.join(" ", s).length();
        while (line > MAX_SEARCH_LINE_CHARS && !s.isEmpty()) {
            line -= s.remove(s.size() - 1).length() + 1;
            cut = true;
        }
        if (cut) {
            warnings.add(new Warning("DNSConfigForming", "Search Line limits were exceeded, some search paths have "
                    + "been omitted, the applied search line is: " + String.join(" ", s)));
        }
        return s;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }

    private static List<String> distinct(List<String> in) {
        return List.copyOf(new LinkedHashSet<>(in));
    }

    /** Options by name, in first-seen order; a later value (the pod's) replaces an earlier one. */
    private static List<String> mergeOptions(List<String> existing, List<PodDNSConfigOption> extra) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String o : existing) {
            int colon = o.indexOf(':');
            byName.put(colon < 0 ? o : o.substring(0, colon), colon < 0 ? "" : o.substring(colon + 1));
        }
        if (extra != null) {
            for (PodDNSConfigOption o : extra) {
                if (o.getName() != null) {
                    byName.put(o.getName(), o.getValue() == null ? "" : o.getValue());
                }
            }
        }
        List<String> out = new ArrayList<>();
        byName.forEach((k, v) -> out.add(v.isEmpty() ? k : k + ":" + v));
        return out;
    }
}
