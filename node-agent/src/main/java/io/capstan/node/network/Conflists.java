package io.capstan.node.network;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The network configuration lists capstan runs, and reading their results. */
final class Conflists {
    private Conflists() {}

    /**
     * The pod network: bridge (gateway, hairpin; masquerading is the node's, {@link PodMasquerade})
     * with host-local IPAM over the node's podCIDR and a default route, then portmap when the pod
     * has hostPorts (without any, portmap only costs a process).
     */
    static ObjectNode pod(NetworkConfig c, boolean hostPorts) {
        ObjectNode list = CniRunner.JSON.createObjectNode()
                .put("cniVersion", CniRunner.VERSION)
                .put("name", c.networkName());
        ArrayNode plugins = list.putArray("plugins");
        ObjectNode bridge = plugins.addObject()
                .put("type", "bridge")
                .put("bridge", c.bridge())
                .put("isGateway", true)
                .put("ipMasq", false)
                .put("hairpinMode", true)
                .put("mtu", c.mtu());
        Cidr pod = Cidr.parse(c.podCidr());
        ObjectNode ipam = bridge.putObject("ipam")
                .put("type", "host-local")
                .put("dataDir", c.ipamDir().toString());
        ipam.putArray("ranges").addArray().addObject()
                .put("subnet", pod.toString())
                .put("gateway", pod.address(1));
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        if (hostPorts) {
            addPortmap(plugins);
        }
        return list;
    }

    /** portmap alone, chained after the native attachment's result for a pod with hostPorts. */
    static ObjectNode portmap(NetworkConfig c) {
        ObjectNode list = CniRunner.JSON.createObjectNode()
                .put("cniVersion", CniRunner.VERSION)
                .put("name", c.networkName());
        addPortmap(list.putArray("plugins"));
        return list;
    }

    private static void addPortmap(ArrayNode plugins) {
        ObjectNode portmap = plugins.addObject().put("type", "portmap").put("snat", true);
        portmap.putObject("capabilities").put("portMappings", true);
    }

    /** {@code lo} up in the pod's namespace. */
    static ObjectNode loopback(NetworkConfig c) {
        ObjectNode list = CniRunner.JSON.createObjectNode()
                .put("cniVersion", CniRunner.VERSION)
                .put("name", c.networkName() + "-loopback");
        list.putArray("plugins").addObject().put("type", "loopback");
        return list;
    }

    /**
     * The addresses (without prefix length) of a result's IPs on interfaces inside the sandbox,
     * or all IPs when the result names no interfaces.
     */
    static List<String> podIps(JsonNode result) {
        List<String> out = new ArrayList<>();
        if (result == null) {
            return out;
        }
        JsonNode ifaces = result.path("interfaces");
        for (JsonNode ip : result.path("ips")) {
            JsonNode idx = ip.get("interface");
            boolean inSandbox = idx == null || !ifaces.isArray()
                    || !ifaces.path(idx.asInt()).path("sandbox").asString("").isEmpty();
            String addr = ip.path("address").asString("");
            if (inSandbox && !addr.isEmpty()) {
                out.add(addr.contains("/") ? addr.substring(0, addr.indexOf('/')) : addr);
            }
        }
        return out;
    }
}
