package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against a real API server: Node objects, pods, bindings, events. */
class SchedulerIT {
  static final String NS = "default";
  TestApiServer server;
  KubernetesClient client;
  ControllerManager manager;

  @BeforeEach
  void start() throws Exception {
    server = TestApiServer.start();
    client = Clients.of(server);
    manager = new ControllerManager(client);
    manager.register(Scheduler.controller(manager)).start();
  }

  @AfterEach
  void stop() {
    manager.close();
    client.close();
    server.close();
  }

  /** Creates {@code node}, then writes its status through /status, as a node agent would. */
  void create(Node node) {
    Node created = client.nodes().resource(node).create();
    created.setStatus(node.getStatus());
    client.nodes().resource(created).updateStatus();
  }

  Pod create(Pod pod) {
    Pod p = new PodBuilder(pod).editMetadata().withUid(null).endMetadata().build();
    return client.pods().inNamespace(NS).resource(p).create();
  }

  String nodeOf(String pod) {
    Pod p = client.pods().inNamespace(NS).withName(pod).get();
    return p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
  }

  void awaitBound(String... pods) {
    for (String p : pods) {
      Await.until(p + " is bound", () -> !nodeOf(p).isEmpty(), () -> client.pods().inNamespace(NS).withName(p).get().toString());
    }
  }

  /** The FailedScheduling events of a pod, selected as kubectl describe selects them. */
  List<Event> eventsOf(Pod pod) {
    return client.v1().events().inNamespace(NS).withFields(Map.of(
        "involvedObject.name", pod.getMetadata().getName(), "involvedObject.namespace", NS,
        "involvedObject.uid", pod.getMetadata().getUid(), "involvedObject.kind", "Pod"))
        .list().getItems().stream().filter(e -> "FailedScheduling".equals(e.getReason())).toList();
  }

  Map<String, Long> podsPerNode() {
    return client.pods().inNamespace(NS).list().getItems().stream()
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName(),
            TreeMap::new, Collectors.counting()));
  }

  @Test
  void unschedulablePodGetsAnEventAndIsScheduledWhenANodeFits() {
    create(node("small-ssd", "1", "4Gi").editMetadata().addToLabels("disk", "ssd").endMetadata().build());
    create(node("big-1", "4", "4Gi").build());
    create(node("big-2", "4", "4Gi").build());
    Pod pod = create(pod("wants-ssd", "2", "1Gi").editSpec().addToNodeSelector("disk", "ssd").endSpec().build());
    String expected = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector."
        + " preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod,"
        + " 2 Preemption is not helpful for scheduling.";
    Await.until("a FailedScheduling event repeated", () -> {
      List<Event> events = eventsOf(pod);
      return events.size() == 1 && events.get(0).getCount() >= 2;
    }, () -> eventsOf(pod).toString());
    Event event = eventsOf(pod).get(0);
    assertEquals(expected, event.getMessage());
    assertEquals("Warning", event.getType());
    assertEquals("default-scheduler", event.getSource().getComponent());
    assertEquals("default-scheduler", event.getReportingComponent());
    assertEquals("v1", event.getInvolvedObject().getApiVersion());
    Await.until("PodScheduled is False/Unschedulable", () -> client.pods().inNamespace(NS).withName("wants-ssd").get()
        .getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("PodScheduled")
            && c.getStatus().equals("False") && c.getReason().equals("Unschedulable") && expected.equals(c.getMessage())));
    assertEquals("", nodeOf("wants-ssd"));

    create(node("big-ssd", "4", "4Gi").editMetadata().addToLabels("disk", "ssd").endMetadata().build());
    awaitBound("wants-ssd");
    assertEquals("big-ssd", nodeOf("wants-ssd"));
    Await.until("PodScheduled is True", () -> client.pods().inNamespace(NS).withName("wants-ssd").get()
        .getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("True")));
  }

  @Test
  void resourcesAreNeverDoubleBooked() {
    for (int i = 1; i <= 3; i++) {
      create(node("n" + i, "2", "8Gi").build());
    }
    for (int i = 0; i < 6; i++) {
      create(pod("p" + i, "1", "1Gi").build());
    }
    awaitBound("p0", "p1", "p2", "p3", "p4", "p5");
    assertEquals(Map.of("n1", 2L, "n2", 2L, "n3", 2L), podsPerNode());
    Pod extra = create(pod("extra", "1", null).build());
    Await.until("the extra pod's event", () -> !eventsOf(extra).isEmpty());
    assertEquals("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available:"
        + " 3 No preemption victims found for incoming pod.", eventsOf(extra).get(0).getMessage());
    // Deleting a pod makes room; the waiting pod takes it.
    String freed = nodeOf("p0");
    client.pods().inNamespace(NS).withName("p0").withGracePeriod(0).delete();
    awaitBound("extra");
    assertEquals(freed, nodeOf("extra"));
  }

  @Test
  void taintsCordonsReadinessAndNodeAffinity() {
    create(node("gpu", "4", "4Gi").editOrNewSpec().addToTaints(new Taint("NoSchedule", "gpu", null, "true")).endSpec().build());
    create(node("cordoned", "4", "4Gi").editOrNewSpec().withUnschedulable(true).endSpec().build());
    create(node("not-ready", "4", "4Gi").editStatus().editFirstCondition().withStatus("False").endCondition().endStatus().build());
    create(node("plain", "4", "4Gi").build());
    create(pod("a", null, null).build());
    create(pod("b", null, null).build());
    create(pinned("tolerant", "gpu", new Toleration("NoSchedule", "gpu", "Exists", null, null)));
    create(pinned("intolerant", "gpu"));
    create(pinned("to-cordoned", "cordoned"));
    awaitBound("a", "b", "tolerant");
    assertEquals("plain", nodeOf("a"));
    assertEquals("plain", nodeOf("b"));
    assertEquals("gpu", nodeOf("tolerant"));
    Pod intolerant = client.pods().inNamespace(NS).withName("intolerant").get();
    Await.until("intolerant's event", () -> !eventsOf(intolerant).isEmpty());
    assertEquals("0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector,"
        + " 1 node(s) had untolerated taint {gpu: true}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: },"
        + " 1 node(s) were unschedulable. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
        eventsOf(intolerant).get(0).getMessage());
    assertEquals("", nodeOf("to-cordoned"));
  }

  /** A pod pinned to {@code node} by matchFields metadata.name, as the DaemonSet controller pins. */
  static Pod pinned(String name, String node, Toleration... tolerations) {
    return pod(name, null, null).editSpec().withTolerations(tolerations).withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addToNodeSelectorTerms(new NodeSelectorTermBuilder()
            .addToMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of(node))).build())
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
  }

  @Test
  void podAntiAffinityAndHostPorts() {
    for (int i = 1; i <= 3; i++) {
      create(node("h" + i, "4", "4Gi").editMetadata().addToLabels("kubernetes.io/hostname", "h" + i).endMetadata().build());
    }
    for (int i = 0; i < 4; i++) {
      create(pod("web" + i, null, null).editMetadata().addToLabels("app", "web").endMetadata().editSpec()
          .withNewAffinity().withNewPodAntiAffinity().addToRequiredDuringSchedulingIgnoredDuringExecution(
              new PodAffinityTermBuilder().withTopologyKey("kubernetes.io/hostname")
                  .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web").build()).build())
          .endPodAntiAffinity().endAffinity().endSpec().build());
    }
    Await.until("three web pods bound", () -> client.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> p.getSpec().getNodeName() != null).count() == 3);
    Map<String, Long> perNode = podsPerNode();
    assertEquals(Map.of("h1", 1L, "h2", 1L, "h3", 1L, "", 1L), perNode);
    Pod waiting = client.pods().inNamespace(NS).list().getItems().stream().filter(p -> p.getSpec().getNodeName() == null)
        .findFirst().orElseThrow();
    Await.until("the fourth web pod's event", () -> !eventsOf(waiting).isEmpty());
    assertTrue(eventsOf(waiting).get(0).getMessage().startsWith(
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."), eventsOf(waiting).toString());
    client.pods().inNamespace(NS).withName(waiting.getMetadata().getName()).withGracePeriod(0).delete();
    Await.until("gone", () -> client.pods().inNamespace(NS).withName(waiting.getMetadata().getName()).get() == null);

    ContainerPort port = new ContainerPort(80, null, 8080, null, "TCP");
    for (int i = 0; i < 4; i++) {
      create(pod("port" + i, null, null).editSpec().editFirstContainer().withPorts(port).endContainer().endSpec().build());
    }
    Await.until("three port pods bound", () -> client.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith("port") && p.getSpec().getNodeName() != null).count() == 3);
    Pod noPort = client.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith("port") && p.getSpec().getNodeName() == null).findFirst().orElseThrow();
    Await.until("the fourth port pod's event", () -> !eventsOf(noPort).isEmpty());
    assertTrue(eventsOf(noPort).get(0).getMessage().startsWith(
        "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports."));
  }

  @Test
  void manyPodsOfOneOwnerSpreadOverNodesAndZones() {
    for (int i = 0; i < 6; i++) {
      create(node("s" + i, "64", "256Gi").editMetadata().addToLabels("topology.kubernetes.io/zone", i < 3 ? "a" : "b")
          .endMetadata().editStatus().addToAllocatable("pods", new Quantity("110")).endStatus().build());
    }
    var owner = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("rs")
        .withUid("0b5a7b5e-0000-4000-8000-000000000001").withController(true).build();
    int count = 120;
    for (int i = 0; i < count; i++) {
      create(pod("r" + i, "10m", "10Mi").editMetadata().addToOwnerReferences(owner).endMetadata().build());
    }
    Await.until("all bound", () -> !podsPerNode().containsKey(""), () -> podsPerNode().toString());
    Map<String, Long> perNode = podsPerNode();
    assertEquals(6, perNode.size(), perNode::toString);
    perNode.values().forEach(n -> assertTrue(n >= 15 && n <= 25, perNode::toString));
    long zoneA = perNode.entrySet().stream().filter(e -> e.getKey().compareTo("s3") < 0).mapToLong(Map.Entry::getValue).sum();
    assertTrue(Math.abs(zoneA - count / 2) <= 6, perNode::toString);
    Await.holds("nothing is bound twice or moved", () -> podsPerNode().equals(perNode), Duration.ofSeconds(1), this::toString);
  }
}
