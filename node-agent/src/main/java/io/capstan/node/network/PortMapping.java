package io.capstan.node.network;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container port published on the node (a container's {@code ports[].hostPort}), as the
 * portmap plugin's {@code portMappings} capability takes it.
 *
 * @param hostPort the node's port
 * @param containerPort the pod's port
 * @param protocol {@code tcp}, {@code udp} or {@code sctp} (any case; TCP when null)
 * @param hostIP the node address to bind, or {@code null} for all of them
 */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIP) {
    public PortMapping {
        if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + hostPort + " -> " + containerPort);
        }
        protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (hostIP != null && hostIP.isEmpty()) {
            hostIP = null;
        }
    }

    /**
     * The hostPorts of a pod: every {@code ports[]} entry with a {@code hostPort} of its
     * containers (sidecars, the restartable init containers, included), as the kubelet publishes
     * them. Empty for a hostNetwork pod, whose ports are the host's already.
     */
    public static List<PortMapping> of(Pod pod) {
        List<PortMapping> out = new ArrayList<>();
        if (pod.getSpec() == null || Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return out;
        }
        List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
        pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(containers::add);
        for (Container c : containers) {
            for (ContainerPort p : c.getPorts()) {
                if (p.getHostPort() != null && p.getHostPort() > 0 && p.getContainerPort() != null) {
                    out.add(new PortMapping(p.getHostPort(), p.getContainerPort(), p.getProtocol(), p.getHostIP()));
                }
            }
        }
        return out;
    }

    /** The runtimeConfig entry. */
    Map<String, Object> toCni() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostPort", hostPort);
        m.put("containerPort", containerPort);
        m.put("protocol", protocol);
        if (hostIP != null) {
            m.put("hostIP", hostIP);
        }
        return m;
    }
}
