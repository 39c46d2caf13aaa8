package io.capstan.controllers.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.meta.Tolerations;
import io.capstan.controllers.simulate.SimulatedNodes;
import io.capstan.controllers.simulate.SimulationConfig;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node lifecycle and taint eviction controllers against a real API server, with a simulated
 * node whose Lease stops being renewed and then comes back.
 */
class NodeLifecycleIT {
  static final String NODE = "nl-0";
  static final SimulationConfig SIM = SimulationConfig.of("nl", 1).withLeaseRenewInterval(Duration.ofMillis(200));

  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(NodeLifecycleReconciler.controller(m, 2, Duration.ofSeconds(4)))
        .register(TaintEvictionReconciler.controller(m, 2)));
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static Node node() {
    return client.nodes().withName(NODE).get();
  }

  static Pod pod(String ns, String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  static Set<String> taints() {
    Node n = node();
    return n.getSpec().getTaints() == null ? Set.of()
        : n.getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).collect(Collectors.toSet());
  }

  static String ready(Node n) {
    return NodeConditions.status(NodeConditions.of(n), "Ready");
  }

  static Pod podOn(String ns, String name, Toleration... tolerations) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withNodeName(NODE).withTolerations(tolerations)
        .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build();
  }

  static Toleration unreachable(Long seconds) {
    return new TolerationBuilder().withKey(Taints.UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
        .withTolerationSeconds(seconds).build();
  }

  static boolean podReady(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  static boolean terminating(Pod p) {
    return p == null || p.getMetadata().getDeletionTimestamp() != null;
  }

  @Test
  void deadNodeIsMarkedTaintedAndEvictedThenRecovers() throws Exception {
    String ns = Clients.namespace(client, "nl");
    SimulatedNodes sim = SimulatedNodes.start(client, SIM);
    try {
      client.pods().resource(podOn(ns, "plain")).create();
      client.pods().resource(podOn(ns, "brief", unreachable(3L))).create();
      client.pods().resource(podOn(ns, "forever", unreachable(null))).create();
      Await.until("pods Ready on a healthy node", () -> podReady(pod(ns, "plain")) && podReady(pod(ns, "brief"))
          && podReady(pod(ns, "forever")));
      Await.holds("a renewing node stays Ready and untainted", () -> "True".equals(ready(node())) && taints().isEmpty(),
          Duration.ofSeconds(3), () -> node().toString());
    } finally {
      sim.close();
    }

    Await.until("the node goes Unknown and unreachable", () -> "Unknown".equals(ready(node()))
        && taints().equals(Set.of(Taints.UNREACHABLE + ":NoExecute", Taints.UNREACHABLE + ":NoSchedule")),
        () -> node().getStatus().getConditions() + " " + taints());
    Node dead = node();
    NodeConditions.of(dead).forEach(c -> {
      assertEquals("Unknown", c.getStatus(), c.getType());
      assertEquals("NodeStatusUnknown", c.getReason(), c.getType());
      assertEquals("Kubelet stopped posting node status.", c.getMessage());
    });
    Taint noExecute = dead.getSpec().getTaints().stream().filter(t -> t.getEffect().equals("NoExecute"))
        .findFirst().orElseThrow();
    assertNotNull(noExecute.getTimeAdded());

    Await.until("the pod without toleration is evicted", () -> terminating(pod(ns, "plain")));
    Await.until("the pod tolerating 3 s is evicted", () -> terminating(pod(ns, "brief")),
        () -> String.valueOf(pod(ns, "brief").getMetadata()));
    Pod brief = pod(ns, "brief");
    if (brief != null) {
      Instant deleted = Instant.parse(brief.getMetadata().getDeletionTimestamp())
          .minusSeconds(brief.getMetadata().getDeletionGracePeriodSeconds());
      Instant tainted = Instant.parse(noExecute.getTimeAdded());
      assertTrue(!deleted.isBefore(tainted.plusSeconds(2)), "evicted at " + deleted + ", tainted at " + tainted);
    }
    Await.until("the remaining pod is marked not Ready", () -> !podReady(pod(ns, "forever"))
        && pod(ns, "forever").getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False")));
    Await.holds("the pod tolerating forever stays", () -> !terminating(pod(ns, "forever")), Duration.ofSeconds(2),
        () -> String.valueOf(pod(ns, "forever").getMetadata()));

    SimulatedNodes back = SimulatedNodes.start(client, SIM);
    try {
      Await.until("the node is Ready and untainted again", () -> "True".equals(ready(node())) && taints().isEmpty(),
          () -> node().getStatus().getConditions() + " " + taints());
      Await.until("the remaining pod is Ready again", () -> podReady(pod(ns, "forever")));
      Await.until("the evicted pods are confirmed gone", () -> pod(ns, "plain") == null && pod(ns, "brief") == null);
      assertNull(pod(ns, "forever").getMetadata().getDeletionTimestamp());
    } finally {
      back.close();
    }
  }

  @Test
  void tolerationMatching() {
    Taint t = new Taint("NoExecute", Taints.UNREACHABLE, null, null);
    assertTrue(Tolerations.tolerates(new TolerationBuilder().withOperator("Exists").build(), t));
    assertTrue(Tolerations.tolerates(new TolerationBuilder().withKey(Taints.UNREACHABLE).withOperator("Exists").build(), t));
    assertTrue(!Tolerations.tolerates(new TolerationBuilder().withKey(Taints.UNREACHABLE).withOperator("Exists")
        .withEffect("NoSchedule").build(), t));
    assertTrue(Tolerations.tolerates(new TolerationBuilder().withKey(Taints.UNREACHABLE).build(), t));
    assertTrue(!Tolerations.tolerates(new TolerationBuilder().withKey(Taints.UNREACHABLE).withValue("x").build(), t));
    assertTrue(!Tolerations.tolerates(new TolerationBuilder().withKey(Taints.NOT_READY).withOperator("Exists").build(), t));
    assertEquals(List.of(), Taints.desired(List.of(t), "True", Instant.EPOCH));
  }
}
