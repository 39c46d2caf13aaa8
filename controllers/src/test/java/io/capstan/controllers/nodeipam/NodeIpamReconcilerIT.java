package io.capstan.controllers.nodeipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.ControllerFixture;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The node IPAM controller against a real API server, through the Fabric8 client. */
class NodeIpamReconcilerIT {

  static Node node(String name, String podCidr) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    return podCidr == null ? b.build() : b.withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec().build();
  }

  static String podCidr(KubernetesClient client, String name) {
    Node n = client.nodes().withName(name).get();
    return n == null || n.getSpec() == null ? null : n.getSpec().getPodCIDR();
  }

  static String awaitCidr(KubernetesClient client, String name) {
    Await.until("node " + name + " gets a pod CIDR", () -> podCidr(client, name) != null);
    Node n = client.nodes().withName(name).get();
    assertEquals(List.of(n.getSpec().getPodCIDR()), n.getSpec().getPodCIDRs(), "podCIDRs follows podCIDR");
    return n.getSpec().getPodCIDR();
  }

  @Test
  void nodesGetDistinctBlocksAndKeepTheirs() throws Exception {
    try (ControllerFixture f = ControllerFixture.start(m -> m.register(NodeIpamReconciler.controller(m, 2)))) {
      KubernetesClient client = f.client;
      client.nodes().resource(node("given", "10.244.0.0/24")).create();
      Set<String> blocks = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        client.nodes().resource(node("n" + i, null)).create();
      }
      for (int i = 0; i < 6; i++) {
        String cidr = awaitCidr(client, "n" + i);
        assertTrue(cidr.matches("10\\.244\\.\\d+\\.0/24"), cidr);
        blocks.add(cidr);
      }
      assertEquals(6, blocks.size(), blocks.toString());
      assertTrue(!blocks.contains("10.244.0.0/24"), "a Node's own podCIDR is taken: " + blocks);
      assertEquals("10.244.0.0/24", podCidr(client, "given"));
    }
  }

  @Test
  void exhaustionDeletionAndRestart() throws Exception {
    // A /23 holds two /24 blocks.
    try (ControllerFixture f = ControllerFixture.start(m -> m.register(NodeIpamReconciler.controller(m, 2,
        "10.250.0.0/23", 24)))) {
      KubernetesClient client = f.client;
      client.nodes().resource(node("a", null)).create();
      String a = awaitCidr(client, "a");
      client.nodes().resource(node("b", null)).create();
      String b = awaitCidr(client, "b");
      assertNotEquals(a, b);
      client.nodes().resource(node("c", null)).create();
      Await.until("a CIDRNotAvailable event for c", () -> cidrEvents(client, "c").size() == 1,
          () -> String.valueOf(cidrEvents(client, "c")));
      Event e = cidrEvents(client, "c").get(0);
      assertEquals("Normal", e.getType());
      assertEquals("Node c status is now: CIDRNotAvailable", e.getMessage());
      assertEquals("cidrAllocator", e.getSource().getComponent());
      client.nodes().withName("a").delete();
      assertEquals(a, awaitCidr(client, "c"), "c gets the block a freed");

      // A new controller on the same cluster rebuilds what is taken from the Nodes.
      f.manager.close();
      client.nodes().withName("b").delete();
      Await.until("b is gone", () -> client.nodes().withName("b").get() == null);
      ControllerManager again = new ControllerManager(client);
      try {
        again.register(NodeIpamReconciler.controller(again, 2, "10.250.0.0/23", 24));
        again.start();
        client.nodes().resource(node("d", null)).create();
        assertEquals(b, awaitCidr(client, "d"), "d gets the free block, not c's");
        assertEquals(a, podCidr(client, "c"));
      } finally {
        again.close();
      }
    }
  }

  static List<Event> cidrEvents(KubernetesClient client, String node) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "CIDRNotAvailable".equals(e.getReason()) && node.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
