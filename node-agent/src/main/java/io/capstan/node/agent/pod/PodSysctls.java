package io.capstan.node.agent.pod;

import io.capstan.node.cri.RuntimeFailure;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's {@code spec.securityContext.sysctls} as the kubelet admits them: the safe set is always
 * allowed (namespaced and isolated between pods, the list of Kubernetes 1.32); any other name is
 * refused with reason {@code SysctlForbidden}, and {@code net.*} names are refused for a
 * hostNetwork pod, whose network namespace is the node's. Names may use {@code /} as separator.
 */
final class PodSysctls {
    static final Set<String> SAFE = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
            "net.ipv4.tcp_rmem",
            "net.ipv4.tcp_wmem");

    private PodSysctls() {}

    /** The pod's sysctls, dotted, in order; throws when one is not allowed on this node. */
    static Map<String, String> of(Pod pod) throws RuntimeFailure {
        Map<String, String> out = new LinkedHashMap<>();
        if (pod.getSpec().getSecurityContext() == null) {
            return out;
        }
        List<Sysctl> sysctls = pod.getSpec().getSecurityContext().getSysctls();
        if (sysctls == null) {
            return out;
        }
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        for (Sysctl s : sysctls) {
            String name = normalize(s.getName());
            if (!SAFE.contains(name)) {
                throw new RuntimeFailure("SysctlForbidden", "forbidden sysctl: \"" + name + "\" not allowlisted");
            }
            if (hostNetwork && name.startsWith("net.")) {
                throw new RuntimeFailure("SysctlForbidden",
                        "forbidden sysctl: \"" + name + "\" not allowed with host net enabled");
            }
            out.put(name, s.getValue() == null ? "" : s.getValue());
        }
        return out;
    }

    /** kubelet's convention: a name whose first separator is '/' uses '/' throughout; '.' inside becomes '/'. */
    static String normalize(String name) {
        if (name == null) {
            return "";
        }
        int slash = name.indexOf('/');
        int dot = name.indexOf('.');
        if (slash >= 0 && (dot < 0 || slash < dot)) {
            return name.replace('.', '\u0000').replace('/', '.').replace('\u0000', '/');
        }
        return name;
    }
}
