package io.capstan.node.proxy;

import java.util.List;

/**
 * One service port as the proxy programs it: where traffic arrives (each ClusterIP at
 * {@code port}, and {@code nodePort} on every local address when set) and the ready endpoints it
 * is spread over. An empty endpoint list means the port refuses connections.
 *
 * @param namespace the Service's namespace
 * @param service the Service's name
 * @param portName the service port's name ("" for an unnamed single port)
 * @param protocol {@code tcp}, {@code udp} or {@code sctp} (nft's spelling)
 * @param port the service port
 * @param clusterIps the Service's IPv4 ClusterIPs (may be empty for a NodePort-only view)
 * @param nodePort the NodePort, or 0
 * @param affinitySeconds the ClientIP session affinity timeout, or 0 without affinity
 * @param endpoints the ready endpoints, sorted and without duplicates
 * @param localEndpoints those of {@code endpoints} on this node
 * @param internalLocal {@code internalTrafficPolicy: Local}: ClusterIP traffic goes to local endpoints only
 * @param externalLocal {@code externalTrafficPolicy: Local}: outside NodePort traffic goes to local
 *     endpoints only, without masquerading
 */
record ServicePortRule(
        String namespace,
        String service,
        String portName,
        String protocol,
        int port,
        List<String> clusterIps,
        int nodePort,
        int affinitySeconds,
        List<Endpoint> endpoints,
        List<Endpoint> localEndpoints,
        boolean internalLocal,
        boolean externalLocal) {

    /** An endpoint address and the port traffic is sent to. */
    record Endpoint(String ip, int port) implements Comparable<Endpoint> {
        @Override
        public int compareTo(Endpoint o) {
            int c = ip.compareTo(o.ip);
            return c != 0 ? c : Integer.compare(port, o.port);
        }

        @Override
        public String toString() {
            return ip + ":" + port;
        }
    }

    ServicePortRule {
        clusterIps = List.copyOf(clusterIps);
        endpoints = List.copyOf(endpoints);
        localEndpoints = List.copyOf(localEndpoints);
    }

    /** A port with the Cluster traffic policies. */
    ServicePortRule(String namespace, String service, String portName, String protocol, int port,
            List<String> clusterIps, int nodePort, int affinitySeconds, List<Endpoint> endpoints) {
        this(namespace, service, portName, protocol, port, clusterIps, nodePort, affinitySeconds, endpoints, List.of(),
                false, false);
    }

    /**
     * The port's identity in rule names: {@code namespace/name/protocol/portName}, or the port
     * number in place of an empty name (port names always hold a letter, so the two never clash).
     */
    String id() {
        return namespace + "/" + service + "/" + protocol + "/" + (portName.isEmpty() ? Integer.toString(port) : portName);
    }
}
