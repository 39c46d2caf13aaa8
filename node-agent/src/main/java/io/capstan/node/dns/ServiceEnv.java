package io.capstan.node.dns;

import io.capstan.node.cri.ContainerSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The service environment variables kubelet gives a pod's containers: for each Service with a
 * ClusterIP (not headless, not ExternalName) in the pod's namespace, when {@code enableServiceLinks}
 * is not false, and always for the {@code kubernetes} Service of namespace {@code default}:
 * <pre>
 *   NAME_SERVICE_HOST=ip  NAME_SERVICE_PORT=port0  NAME_SERVICE_PORT_PORTNAME=port (named ports)
 *   NAME_PORT=proto0://ip:port0
 *   NAME_PORT_port_PROTO=proto://ip:port  ..._PROTO=proto  ..._PORT=port  ..._ADDR=ip (every port)
 * </pre>
 * NAME is the service name upper-cased with dashes as underscores. A service named like a
 * {@code default} master service in the pod's own namespace takes precedence. The container's own
 * variables override these (the caller adds only names the container does not define).
 */
public final class ServiceEnv {
    private ServiceEnv() {}

    /** The variables for {@code pod}, given the Services of its namespace and of {@code default}; sorted by name. */
    public static Map<String, String> forPod(Pod pod, Collection<Service> services) {
        String ns = pod.getMetadata().getNamespace();
        boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        Map<String, Service> chosen = new TreeMap<>();
        for (Service s : services) {
            if (!hasClusterIp(s)) {
                continue;
            }
            String name = s.getMetadata().getName();
            String sns = s.getMetadata().getNamespace();
            if ("default".equals(sns) && "kubernetes".equals(name)) {
                chosen.putIfAbsent(name, s);
            } else if (links && sns != null && sns.equals(ns)) {
                chosen.put(name, s);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        chosen.values().forEach(s -> add(s, env));
        return new TreeMap<>(env);
    }

    /**
     * {@code resolved} (a container's own variables, in order) followed by the service variables it
     * does not define, as kubelet orders a container's environment.
     */
    public static List<ContainerSpec.EnvVar> appendTo(List<ContainerSpec.EnvVar> resolved, Map<String, String> serviceEnv) {
        List<ContainerSpec.EnvVar> out = new ArrayList<>(resolved);
        Set<String> defined = new HashSet<>();
        resolved.forEach(e -> defined.add(e.name()));
        serviceEnv.forEach((k, v) -> {
            if (!defined.contains(k)) {
                out.add(new ContainerSpec.EnvVar(k, v));
            }
        });
        return out;
    }

    static boolean hasClusterIp(Service s) {
        String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None")
                && s.getSpec().getPorts() != null && !s.getSpec().getPorts().isEmpty();
    }

    private static void add(Service s, Map<String, String> env) {
        String prefix = envName(s.getMetadata().getName());
        String ip = s.getSpec().getClusterIP();
        var ports = s.getSpec().getPorts();
        env.put(prefix + "_SERVICE_HOST", ip);
        env.put(prefix + "_SERVICE_PORT", String.valueOf(ports.get(0).getPort()));
        for (ServicePort p : ports) {
            if (p.getName() != null && !p.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + envName(p.getName()), String.valueOf(p.getPort()));
            }
        }
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String proto = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            String lower = proto.toLowerCase(Locale.ROOT);
            String hostPort = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + p.getPort();
            if (i == 0) {
                env.put(prefix + "_PORT", lower + "://" + hostPort);
            }
            String portPrefix = prefix + "_PORT_" + p.getPort() + "_" + proto.toUpperCase(Locale.ROOT);
            env.put(portPrefix, lower + "://" + hostPort);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", String.valueOf(p.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    private static String envName(String s) {
        return s.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
