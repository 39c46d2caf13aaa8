package io.capstan.node.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.node.agent.AgentFixture;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent registers its Node with the machine's facts and keeps its Lease renewed. */
class NodeRegistrationIT {
    static AgentFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = AgentFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static Node node() {
        return f.client.nodes().withName(AgentFixture.NODE).get();
    }

    @Test
    void registersCapacityNodeInfoAddressesAndConditions() {
        Await.until("the node has a status", () -> node() != null && node().getStatus().getNodeInfo() != null);
        Node n = node();
        assertEquals(AgentFixture.NODE, n.getMetadata().getLabels().get("kubernetes.io/hostname"));
        assertEquals("linux", n.getMetadata().getLabels().get("kubernetes.io/os"));
        var capacity = n.getStatus().getCapacity();
        assertEquals("110", capacity.get("pods").toString());
        assertEquals(Runtime.getRuntime().availableProcessors(),
                capacity.get("cpu").getNumericalAmount().intValue());
        assertTrue(capacity.get("memory").getNumericalAmount().longValue() > 0);
        assertTrue(capacity.get("ephemeral-storage").getNumericalAmount().longValue() > 0);
        assertEquals(capacity, n.getStatus().getAllocatable());
        var info = n.getStatus().getNodeInfo();
        assertEquals("capstan://0.1.0", info.getContainerRuntimeVersion());
        assertEquals("linux", info.getOperatingSystem());
        assertEquals("amd64".equals(System.getProperty("os.arch")) ? "amd64" : info.getArchitecture(),
                info.getArchitecture());
        assertFalse(info.getKernelVersion().isEmpty());
        assertFalse(info.getOsImage().isEmpty());
        assertFalse(info.getBootID().isEmpty());
        assertEquals("v1.32.4", info.getKubeletVersion());
        Map<String, String> addresses = n.getStatus().getAddresses().stream()
                .collect(Collectors.toMap(a -> a.getType(), a -> a.getAddress()));
        assertEquals("10.1.2.3", addresses.get("InternalIP"));
        assertTrue(addresses.containsKey("Hostname"));
        Map<String, NodeCondition> conditions = n.getStatus().getConditions().stream()
                .collect(Collectors.toMap(NodeCondition::getType, c -> c));
        assertEquals("True", conditions.get("Ready").getStatus());
        assertEquals("KubeletReady", conditions.get("Ready").getReason());
        assertEquals("kubelet is posting ready status", conditions.get("Ready").getMessage());
        assertEquals("KubeletHasSufficientPID", conditions.get("PIDPressure").getReason());
        assertTrue(conditions.containsKey("MemoryPressure"));
        assertTrue(conditions.containsKey("DiskPressure"));
        assertTrue(n.getStatus().getImages().stream()
                .anyMatch(i -> i.getNames().contains("docker.io/library/busybox:1.36") && i.getSizeBytes() == 4_500_000));
    }

    @Test
    void renewsItsLeaseOnTheClock() {
        Await.until("the lease exists", () -> lease() != null);
        Lease lease = lease();
        assertEquals(AgentFixture.NODE, lease.getSpec().getHolderIdentity());
        assertEquals(40, lease.getSpec().getLeaseDurationSeconds());
        assertEquals("Node", lease.getMetadata().getOwnerReferences().get(0).getKind());
        f.clock.advance(Duration.ofSeconds(10));
        Instant now = f.clock.instant();
        Await.until("the lease is renewed at the new time", () -> lease().getSpec().getRenewTime() != null
                && lease().getSpec().getRenewTime().toInstant().equals(now), () -> lease().getSpec().toString());
    }

    @Test
    void reportsNewImages() {
        f.images.add("registry.local:5000/app:2", 1234);
        Await.until("the new image is in status.images", () -> node().getStatus().getImages().stream()
                .anyMatch(i -> i.getNames().contains("registry.local:5000/app:2")));
    }

    @Test
    void registersAgainWhenTheNodeIsDeleted() {
        Await.until("the node is registered", () -> node() != null);
        f.client.nodes().withName(AgentFixture.NODE).delete();
        Await.until("the node is back with its status", () -> node() != null && node().getStatus() != null
                && node().getStatus().getNodeInfo() != null);
    }

    static Lease lease() {
        return f.client.leases().inNamespace("kube-node-lease").withName(AgentFixture.NODE).get();
    }

    @Test
    void postsTheStatusAgainAfterTheReportIntervalKeepingOthersConditions() {
        Await.until("the node is ready", () -> node() != null && node().getStatus().getConditions() != null
                && node().getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")));
        // Another component (a route controller) adds its condition next to the agent's.
        var withOther = new java.util.ArrayList<>(node().getStatus().getConditions());
        withOther.add(new NodeCondition(null, null, null, "RouteCreated", "False", "NetworkUnavailable"));
        Node n = node();
        n.getStatus().setConditions(withOther);
        f.client.nodes().resource(n).updateStatus();
        f.clock.advance(Duration.ofMinutes(5));
        String beat = f.clock.instant().toString();
        Await.until("a heartbeat at the new time", () -> node().getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && beat.equals(c.getLastHeartbeatTime())),
                () -> node().getStatus().getConditions().toString());
        assertTrue(node().getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("NetworkUnavailable") && "RouteCreated".equals(c.getReason())));
    }
}
