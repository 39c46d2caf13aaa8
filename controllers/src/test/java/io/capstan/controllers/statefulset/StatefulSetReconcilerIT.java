package io.capstan.controllers.statefulset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.capstan.controllers.testing.PodEvents;
import io.capstan.controllers.testing.TestKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The StatefulSet controller against a real API server, with a test kubelet marking pods ready. */
class StatefulSetReconcilerIT {
  static final Duration STEADY = Duration.ofSeconds(2);

  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(StatefulSetReconciler.controller(m, 2)));
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static StatefulSet statefulSet(String ns, String name, int replicas, String policy) {
    return new StatefulSetBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(name).withPodManagementPolicy(policy)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec()
        .endTemplate()
        .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
        .endVolumeClaimTemplate()
        .endSpec().build();
  }

  static StatefulSet get(String ns, String name) {
    return client.apps().statefulSets().inNamespace(ns).withName(name).get();
  }

  static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }

  static String names(String ns) {
    return pods(ns).stream().map(p -> p.getMetadata().getName() + "(" + p.getStatus().getPhase() + ","
        + StatefulPods.revision(p) + ")").sorted().collect(Collectors.joining(" "));
  }

  static void scale(String ns, String name, int replicas) {
    Edits.retrying(() -> client.apps().statefulSets().inNamespace(ns).withName(name)
        .edit(s -> new StatefulSetBuilder(s).editSpec().withReplicas(replicas).endSpec().build()));
  }

  /** Waits until {@code name} has exactly pods 0..n-1, all ready, and status says so. */
  static void awaitReady(String ns, String name, int n) {
    Await.until(name + " has " + n + " ready pods", () -> {
      StatefulSet set = get(ns, name);
      List<Pod> all = pods(ns);
      return all.size() == n && all.stream().allMatch(ActivePods::isRunningAndReady) && set.getStatus() != null
          && Objects.equals(set.getStatus().getReadyReplicas(), n) && Objects.equals(set.getStatus().getReplicas(), n)
          && Objects.equals(set.getStatus().getObservedGeneration(), set.getMetadata().getGeneration());
    }, () -> names(ns) + " status " + get(ns, name).getStatus());
  }

  @Test
  void orderedReadyCreatesEachPodOnlyAfterThePreviousIsReady() {
    String ns = Clients.namespace(client, "sts-ordered");
    try (PodEvents events = PodEvents.record(client, ns);
        TestKubelet kubelet = TestKubelet.start(client, ns, p -> !p.getMetadata().getName().equals("web-1"))) {
      client.apps().statefulSets().resource(statefulSet(ns, "web", 3, "OrderedReady")).create();
      Await.until("web-1 exists", () -> pods(ns).size() == 2, () -> names(ns));
      Await.holds("web-2 waits for web-1 to be ready", () -> pods(ns).size() == 2, STEADY, () -> names(ns));
      kubelet.runOnly(p -> true);
      kubelet.resync(ns);
      awaitReady(ns, "web", 3);
      for (int i = 1; i < 3; i++) {
        int created = events.firstAdded("web-" + i);
        int readyBefore = events.firstReady("web-" + (i - 1));
        assertTrue(readyBefore >= 0 && readyBefore < created,
            "web-" + i + " created at event " + created + ", web-" + (i - 1) + " ready at " + readyBefore
                + ": " + events.log());
      }
    }
    StatefulSet set = get(ns, "web");
    String revision = set.getStatus().getUpdateRevision();
    assertNotNull(revision);
    assertEquals(revision, set.getStatus().getCurrentRevision());
    assertEquals(3, set.getStatus().getCurrentReplicas());
    assertEquals(3, set.getStatus().getUpdatedReplicas());
    assertEquals(3, set.getStatus().getAvailableReplicas());
    ControllerRevision cr = client.apps().controllerRevisions().inNamespace(ns).withName(revision).get();
    assertNotNull(cr, "the revision is stored");
    assertEquals(1L, cr.getRevision());
    assertEquals(set.getMetadata().getUid(), OwnerReferences.controllerOf(cr).orElseThrow().getUid());
    for (int i = 0; i < 3; i++) {
      Pod pod = client.pods().inNamespace(ns).withName("web-" + i).get();
      Map<String, String> labels = pod.getMetadata().getLabels();
      assertEquals("web-" + i, labels.get("statefulset.kubernetes.io/pod-name"));
      assertEquals(Integer.toString(i), labels.get("apps.kubernetes.io/pod-index"));
      assertEquals(revision, labels.get("controller-revision-hash"));
      assertEquals("web", labels.get("app"));
      assertEquals("web-" + i, pod.getSpec().getHostname());
      assertEquals("web", pod.getSpec().getSubdomain());
      assertEquals("data-web-" + i, pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("data"))
          .findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
      assertNotNull(client.persistentVolumeClaims().inNamespace(ns).withName("data-web-" + i).get(),
          "claim of pod " + i);
      assertEquals("StatefulSet", OwnerReferences.controllerOf(pod).orElseThrow().getKind());
    }
  }

  @Test
  void scaleDownRemovesTheHighestOrdinalFirstAndKeepsTheClaims() {
    String ns = Clients.namespace(client, "sts-scale-down");
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      client.apps().statefulSets().resource(statefulSet(ns, "db", 3, "OrderedReady")).create();
      awaitReady(ns, "db", 3);
      try (PodEvents events = PodEvents.record(client, ns)) {
        scale(ns, "db", 0);
        Await.until("all pods gone", () -> pods(ns).isEmpty(), () -> names(ns));
        assertEquals(List.of("db-2", "db-1", "db-0"), events.deletedOrder(), events.log());
      }
      assertEquals(3, client.persistentVolumeClaims().inNamespace(ns).list().getItems().size(),
          "claims are retained on scale down");
      scale(ns, "db", 2);
      awaitReady(ns, "db", 2);
      assertEquals(3, client.persistentVolumeClaims().inNamespace(ns).list().getItems().size(), "claims reused");
    }
  }

  @Test
  void parallelCreatesAllPodsWithoutWaiting() {
    String ns = Clients.namespace(client, "sts-parallel");
    client.apps().statefulSets().resource(statefulSet(ns, "par", 3, "Parallel")).create();
    // No kubelet: nothing ever becomes ready, and yet every pod is created.
    Await.until("all three pods exist", () -> pods(ns).size() == 3, () -> names(ns));
    assertEquals(List.of("par-0", "par-1", "par-2"),
        pods(ns).stream().map(p -> p.getMetadata().getName()).sorted().toList());
    Await.until("status counts them", () -> Objects.equals(get(ns, "par").getStatus().getReplicas(), 3)
        && Objects.equals(get(ns, "par").getStatus().getReadyReplicas(), 0));
  }

  @Test
  void rollingUpdateReplacesPodsFromTheHighestOrdinal() {
    String ns = Clients.namespace(client, "sts-rolling");
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      client.apps().statefulSets().resource(statefulSet(ns, "app", 3, "OrderedReady")).create();
      awaitReady(ns, "app", 3);
      String before = get(ns, "app").getStatus().getUpdateRevision();
      try (PodEvents events = PodEvents.record(client, ns)) {
        setImage(ns, "app", "nginx:2");
        Await.until("every pod runs the new revision", () -> {
          StatefulSet set = get(ns, "app");
          String update = set.getStatus().getUpdateRevision();
          return !before.equals(update) && update.equals(set.getStatus().getCurrentRevision())
              && Objects.equals(set.getStatus().getUpdatedReplicas(), 3)
              && Objects.equals(set.getStatus().getReadyReplicas(), 3)
              && pods(ns).stream().allMatch(p -> update.equals(StatefulPods.revision(p)));
        }, () -> names(ns) + " status " + get(ns, "app").getStatus());
        assertEquals(List.of("app-2", "app-1", "app-0"), events.deletedOrder(), events.log());
      }
      List<ControllerRevision> revisions = client.apps().controllerRevisions().inNamespace(ns).list().getItems();
      assertEquals(2, revisions.size(), "one revision per template");
    }
  }

  @Test
  void aPartitionKeepsLowerOrdinalsAtTheOldRevision() {
    String ns = Clients.namespace(client, "sts-partition");
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      StatefulSet set = new StatefulSetBuilder(statefulSet(ns, "part", 3, "Parallel")).editSpec()
          .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(2).endRollingUpdate()
          .endUpdateStrategy().endSpec().build();
      client.apps().statefulSets().resource(set).create();
      awaitReady(ns, "part", 3);
      String old = get(ns, "part").getStatus().getCurrentRevision();
      setImage(ns, "part", "nginx:2");
      Await.until("part-2 is updated", () -> {
        String update = get(ns, "part").getStatus().getUpdateRevision();
        Pod p2 = client.pods().inNamespace(ns).withName("part-2").get();
        return !old.equals(update) && p2 != null && update.equals(StatefulPods.revision(p2))
            && ActivePods.isRunningAndReady(p2);
      }, () -> names(ns));
      Await.holds("part-0 and part-1 stay at the old revision", () -> IntStream.range(0, 2)
          .mapToObj(i -> client.pods().inNamespace(ns).withName("part-" + i).get())
          .allMatch(p -> p != null && old.equals(StatefulPods.revision(p))), STEADY, () -> names(ns));
      assertEquals(old, get(ns, "part").getStatus().getCurrentRevision());
      assertEquals(1, get(ns, "part").getStatus().getUpdatedReplicas());
    }
  }

  @Test
  void aFailedPodIsDeletedAndRecreated() {
    String ns = Clients.namespace(client, "sts-failed");
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      client.apps().statefulSets().resource(statefulSet(ns, "job", 1, "OrderedReady")).create();
      awaitReady(ns, "job", 1);
      Pod first = client.pods().inNamespace(ns).withName("job-0").get();
      TestKubelet.setStatus(client, first, "Failed", "False");
      Await.until("job-0 is replaced", () -> {
        Pod now = client.pods().inNamespace(ns).withName("job-0").get();
        return now != null && !now.getMetadata().getUid().equals(first.getMetadata().getUid())
            && ActivePods.isRunningAndReady(now);
      }, () -> names(ns));
      assertNotEquals(first.getMetadata().getUid(), client.pods().inNamespace(ns).withName("job-0").get()
          .getMetadata().getUid());
    }
  }

  @Test
  void onDeleteReplacesAPodOnlyWhenItIsDeleted() {
    String ns = Clients.namespace(client, "sts-on-delete");
    try (TestKubelet kubelet = TestKubelet.start(client, ns)) {
      StatefulSet set = new StatefulSetBuilder(statefulSet(ns, "od", 2, "OrderedReady")).editSpec()
          .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec().build();
      client.apps().statefulSets().resource(set).create();
      awaitReady(ns, "od", 2);
      String old = get(ns, "od").getStatus().getCurrentRevision();
      setImage(ns, "od", "nginx:2");
      Await.until("a new update revision", () -> !old.equals(get(ns, "od").getStatus().getUpdateRevision()));
      Await.holds("the pods stay at the old revision", () -> pods(ns).stream()
          .allMatch(p -> old.equals(StatefulPods.revision(p))), STEADY, () -> names(ns));
      client.pods().inNamespace(ns).withName("od-1").delete();
      String update = get(ns, "od").getStatus().getUpdateRevision();
      Await.until("od-1 comes back at the update revision", () -> {
        Pod p = client.pods().inNamespace(ns).withName("od-1").get();
        return p != null && update.equals(StatefulPods.revision(p)) && ActivePods.isRunningAndReady(p);
      }, () -> names(ns));
      assertEquals(old, StatefulPods.revision(client.pods().inNamespace(ns).withName("od-0").get()));
      Await.until("status counts one updated pod", () -> Objects.equals(get(ns, "od").getStatus().getUpdatedReplicas(), 1));
    }
  }

  static void setImage(String ns, String name, String image) {
    Edits.retrying(() -> client.apps().statefulSets().inNamespace(ns).withName(name).edit(s -> new StatefulSetBuilder(s).editSpec()
        .editTemplate().editSpec().editFirstContainer().withImage(image).endContainer().endSpec().endTemplate()
        .endSpec().build()));
  }
}
