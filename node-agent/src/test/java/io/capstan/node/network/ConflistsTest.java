package io.capstan.node.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ConflistsTest {

    @Test
    void thePodConflistIsBridgeWithHostLocalThenPortmap() {
        NetworkConfig c = NetworkConfig.defaults(Path.of("/var/lib/capstan"), "10.244.3.0/24");
        ObjectNode l = Conflists.pod(c, true);
        assertEquals("capstan", l.get("name").asString());
        assertEquals("1.0.0", l.get("cniVersion").asString());
        JsonNode bridge = l.at("/plugins/0");
        assertEquals("bridge", bridge.get("type").asString());
        assertEquals("capstan0", bridge.get("bridge").asString());
        assertEquals(true, bridge.get("isGateway").asBoolean());
        assertEquals(false, bridge.get("ipMasq").asBoolean(), "masquerading is the node's nft rule");
        assertEquals(true, bridge.get("hairpinMode").asBoolean());
        assertEquals(1500, bridge.get("mtu").asInt());
        assertEquals("host-local", bridge.at("/ipam/type").asString());
        assertEquals("10.244.3.0/24", bridge.at("/ipam/ranges/0/0/subnet").asString());
        assertEquals("10.244.3.1", bridge.at("/ipam/ranges/0/0/gateway").asString());
        assertEquals("0.0.0.0/0", bridge.at("/ipam/routes/0/dst").asString());
        assertEquals("/var/lib/capstan/network/ipam", bridge.at("/ipam/dataDir").asString());
        assertEquals("portmap", l.at("/plugins/1/type").asString());
        assertEquals(true, l.at("/plugins/1/capabilities/portMappings").asBoolean());
        assertEquals("loopback", Conflists.loopback(c).at("/plugins/0/type").asString());
    }

    @Test
    void podIpsAreTheAddressesOnSandboxInterfaces() {
        JsonNode result = CniRunner.JSON.readTree("""
                {"cniVersion":"1.0.0",
                 "interfaces":[{"name":"capstan0"},{"name":"veth1"},{"name":"eth0","sandbox":"/run/netns/x"}],
                 "ips":[{"interface":2,"address":"10.244.3.2/24","gateway":"10.244.3.1"},
                        {"interface":0,"address":"10.244.3.1/24"}]}""");
        assertEquals(List.of("10.244.3.2"), Conflists.podIps(result));
        assertEquals(List.of(), Conflists.podIps(null));
    }

    @Test
    void cidrsAndNames() {
        assertEquals("10.244.0.1", Cidr.parse("10.244.0.0/24").address(1));
        assertEquals("10.96.0.0/12", Cidr.parse("10.96.0.0/12").toString());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.244.0.1/24"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.244.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("300.0.0.0/8"));
        assertThrows(IllegalArgumentException.class,
                () -> NetworkConfig.defaults(Path.of("/d"), "10.244.1.0/24").withBridge("docker0"));
        // the chain names the bridge plugin made for network "capstan", container "p1" on this machine
        assertEquals(List.of("CNI-4aa0dcbf19918fd8e4c0c9d9", "CNI-DN-4aa0dcbf19918fd8e4c0c"),
                NatChains.podChains("capstan", "p1"));
        assertThrows(IllegalArgumentException.class, () -> PodNetwork.checkUid("../etc"));
    }
}
