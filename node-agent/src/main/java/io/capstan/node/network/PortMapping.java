package io.capstan.node.network;

import java.util.LinkedHashMap;
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
