package io.capstan.controllers.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.capstan.controllers.testing.PodEvents;
import io.capstan.controllers.testing.TestKubelet;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DaemonSet controller against a real API server. Nodes are cluster-wide, so each test's
 * DaemonSet selects only its own nodes by a label naming the test's namespace.
 */
class DaemonSetReconcilerIT {
  static final Duration STEADY = Duration.ofSeconds(2);

  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(DaemonSetReconciler.controller(m, 2)));
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Creates a Ready node carrying the label {@code suite: <suite>} and {@code taints}. */
  static void node(String name, String suite, Taint... taints) {
    node(client, name, suite, taints);
  }

  static void node(KubernetesClient client, String name, String suite, Taint... taints) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("suite", suite)
        .endMetadata().withNewSpec().withTaints(taints.length == 0 ? null : List.of(taints)).endSpec().build())
        .create();
    Map<String, Object> ready = Map.of("type", "Ready", "status", "True", "reason", "KubeletReady",
        "lastHeartbeatTime", Instant.now().toString().replaceAll("\\.\\d+Z", "Z"));
    client.nodes().withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
        client.getKubernetesSerialization().asJson(Map.of("status", Map.of("conditions", List.of(ready)))));
  }

  static DaemonSet daemonSet(String ns, String name) {
    return new DaemonSetBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec()
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addToNodeSelector("suite", ns)
        .addNewContainer().withName("c").withImage("agent:1").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  static DaemonSet get(String ns, String name) {
    return client.apps().daemonSets().inNamespace(ns).withName(name).get();
  }

  static List<Pod> live(String ns) {
    return client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** Node name to the number of live pods for it. */
  static Map<String, Long> perNode(String ns) {
    return live(ns).stream().collect(Collectors.groupingBy(DaemonPods::targetNode, Collectors.counting()));
  }

  static void awaitOnePodPer(String ns, String name, List<String> nodes) {
    Map<String, Long> want = nodes.stream().collect(Collectors.toMap(n -> n, n -> 1L));
    Await.until(name + " runs one ready, updated pod on each of " + nodes, () -> {
      DaemonSetStatus s = get(ns, name).getStatus();
      return perNode(ns).equals(want) && live(ns).stream().allMatch(ActivePods::isReady) && s != null
          && Objects.equals(s.getDesiredNumberScheduled(), nodes.size())
          && Objects.equals(s.getNumberReady(), nodes.size())
          && Objects.equals(s.getUpdatedNumberScheduled(), nodes.size())
          && Objects.equals(s.getObservedGeneration(), get(ns, name).getMetadata().getGeneration());
    }, () -> perNode(ns) + " status " + get(ns, name).getStatus());
    Await.holds("one pod per node", () -> perNode(ns).equals(want), STEADY, () -> perNode(ns).toString());
  }

  @Test
  void runsOnePodPerNodeIncludingNodesThatJoinLater() {
    String ns = Clients.namespace(client, "ds-nodes");
    node(ns + "-a", ns);
    node(ns + "-b", ns);
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      client.apps().daemonSets().resource(daemonSet(ns, "agent")).create();
      awaitOnePodPer(ns, "agent", List.of(ns + "-a", ns + "-b"));
      DaemonSetStatus status = get(ns, "agent").getStatus();
      assertEquals(2, status.getCurrentNumberScheduled());
      assertEquals(2, status.getUpdatedNumberScheduled());
      assertEquals(2, status.getNumberAvailable());
      assertEquals(0, status.getNumberUnavailable());
      assertEquals(0, status.getNumberMisscheduled());

      Pod pod = live(ns).get(0);
      List<NodeSelectorRequirement> fields = pod.getSpec().getAffinity().getNodeAffinity()
          .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchFields();
      assertEquals("metadata.name", fields.get(0).getKey());
      assertEquals("In", fields.get(0).getOperator());
      assertEquals(List.of(DaemonPods.targetNode(pod)), fields.get(0).getValues());
      List<String> tolerated = pod.getSpec().getTolerations().stream()
          .map(t -> t.getKey() + ":" + t.getEffect()).toList();
      assertTrue(tolerated.containsAll(List.of("node.kubernetes.io/not-ready:NoExecute",
          "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/disk-pressure:NoSchedule",
          "node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/pid-pressure:NoSchedule",
          "node.kubernetes.io/unschedulable:NoSchedule")), tolerated.toString());
      String hash = pod.getMetadata().getLabels().get("controller-revision-hash");
      assertNotNull(hash);
      assertNotNull(client.apps().controllerRevisions().inNamespace(ns).withName("agent-" + hash).get());
      assertEquals(String.valueOf(get(ns, "agent").getMetadata().getGeneration()),
          pod.getMetadata().getLabels().get("pod-template-generation"));

      node(ns + "-c", ns);
      awaitOnePodPer(ns, "agent", List.of(ns + "-a", ns + "-b", ns + "-c"));
      client.nodes().withName(ns + "-c").delete();
      awaitOnePodPer(ns, "agent", List.of(ns + "-a", ns + "-b"));
      Edits.retrying(() -> client.nodes().withName(ns + "-b")
          .edit(n -> new NodeBuilder(n).editMetadata().addToLabels("suite", "elsewhere").endMetadata().build()));
      awaitOnePodPer(ns, "agent", List.of(ns + "-a"));
    }
  }

  @Test
  void skipsNodesWithAnUntoleratedTaintOrANonMatchingSelector() {
    String ns = Clients.namespace(client, "ds-taints");
    node(ns + "-plain", ns);
    node(ns + "-dedicated", ns, new TaintBuilder().withKey("dedicated").withValue("db").withEffect("NoSchedule").build());
    node(ns + "-evicting", ns, new TaintBuilder().withKey("broken").withEffect("NoExecute").build());
    node(ns + "-cordoned", ns,
        new TaintBuilder().withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build());
    node(ns + "-other", "not-" + ns);
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      client.apps().daemonSets().resource(daemonSet(ns, "agent")).create();
      awaitOnePodPer(ns, "agent", List.of(ns + "-plain", ns + "-cordoned"));

      Toleration dedicated = new Toleration("NoSchedule", "dedicated", "Equal", null, "db");
      Edits.retrying(() -> client.apps().daemonSets().inNamespace(ns).withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
          .editTemplate().editSpec().addToTolerations(dedicated).endSpec().endTemplate().endSpec().build()));
      awaitOnePodPer(ns, "agent", List.of(ns + "-plain", ns + "-cordoned", ns + "-dedicated"));
    }
  }

  @Test
  void rollingUpdateReplacesPodsOneNodeAtATime() {
    String ns = Clients.namespace(client, "ds-rolling");
    List<String> nodes = List.of(ns + "-1", ns + "-2", ns + "-3");
    nodes.forEach(n -> node(n, ns));
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      client.apps().daemonSets().resource(daemonSet(ns, "agent")).create();
      awaitOnePodPer(ns, "agent", nodes);
      String oldHash = live(ns).get(0).getMetadata().getLabels().get("controller-revision-hash");
      try (PodEvents events = PodEvents.record(client, ns)) {
        Await.until("the watch saw the three ready pods", () -> events.minReadyAfterReaching(3) == 3);
        Edits.retrying(() -> client.apps().daemonSets().inNamespace(ns).withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
            .editTemplate().editSpec().editFirstContainer().withImage("agent:2").endContainer().endSpec()
            .endTemplate().endSpec().build()));
        Await.until("every node runs an updated, ready pod", () -> {
          DaemonSetStatus s = get(ns, "agent").getStatus();
          List<Pod> pods = live(ns);
          return pods.size() == 3 && pods.stream().allMatch(p -> ActivePods.isReady(p)
              && "agent:2".equals(p.getSpec().getContainers().get(0).getImage())
              && !oldHash.equals(p.getMetadata().getLabels().get("controller-revision-hash")))
              && Objects.equals(s.getUpdatedNumberScheduled(), 3) && Objects.equals(s.getNumberAvailable(), 3);
        }, () -> perNode(ns) + " status " + get(ns, "agent").getStatus());
        assertEquals(2, events.minReadyAfterReaching(3),
            "maxUnavailable 1: never fewer than 2 of 3 ready; " + events.log());
      }
      awaitOnePodPer(ns, "agent", nodes);
    }
  }

  @Test
  void rollingUpdateWithMaxSurgeStartsTheNewPodBeforeStoppingTheOld() {
    String ns = Clients.namespace(client, "ds-surge");
    List<String> nodes = List.of(ns + "-1", ns + "-2");
    nodes.forEach(n -> node(n, ns));
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      DaemonSet ds = new DaemonSetBuilder(daemonSet(ns, "agent")).editSpec().withNewUpdateStrategy()
          .withType("RollingUpdate").withNewRollingUpdate().withNewMaxSurge(1).withNewMaxUnavailable(0)
          .endRollingUpdate().endUpdateStrategy().endSpec().build();
      client.apps().daemonSets().resource(ds).create();
      awaitOnePodPer(ns, "agent", nodes);
      try (PodEvents events = PodEvents.record(client, ns)) {
        Await.until("the watch saw the two ready pods", () -> events.minReadyAfterReaching(2) == 2);
        Edits.retrying(() -> client.apps().daemonSets().inNamespace(ns).withName("agent").edit(d -> new DaemonSetBuilder(d).editSpec()
            .editTemplate().editSpec().editFirstContainer().withImage("agent:2").endContainer().endSpec()
            .endTemplate().endSpec().build()));
        awaitOnePodPer(ns, "agent", nodes);
        assertTrue(live(ns).stream().allMatch(p -> "agent:2".equals(p.getSpec().getContainers().get(0).getImage())),
            "all pods updated");
        assertEquals(2, events.minReadyAfterReaching(2), "maxUnavailable 0: never fewer than 2 ready; "
            + events.log());
      }
    }
  }
}
