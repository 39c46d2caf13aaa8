package io.capstan.controllers.replicaset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ReplicaSet controller against a real API server, through the Fabric8 client. */
class ReplicaSetReconcilerIT {
  /** How long a converged state must stay put to show that nothing is created twice. */
  static final Duration STEADY = Duration.ofSeconds(2);

  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(ReplicaSetReconciler.controller(m, 2)));
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static ReplicaSet replicaSet(String ns, String name, int replicas, String app) {
    return new ReplicaSetBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", app).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", app).addToLabels("tier", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  static Pod orphan(String ns, String name, String app) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", app).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build();
  }

  static ReplicaSet get(String ns, String name) {
    return client.apps().replicaSets().inNamespace(ns).withName(name).get();
  }

  static List<Pod> allPods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }

  /** Pods of {@code ns} (read from the API, not a cache) whose controller is {@code rs}, not terminating. */
  static List<Pod> owned(String ns, String rsName) {
    String uid = get(ns, rsName).getMetadata().getUid();
    return allPods(ns).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> OwnerReferences.controllerOf(p).map(OwnerReference::getUid).filter(uid::equals).isPresent())
        .toList();
  }

  static Set<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }

  static void scale(String ns, String name, int replicas) {
    scale(client, ns, name, replicas);
  }

  static void scale(KubernetesClient client, String ns, String name, int replicas) {
    Edits.retrying(() -> client.apps().replicaSets().inNamespace(ns).withName(name)
        .edit(rs -> new ReplicaSetBuilder(rs).editSpec().withReplicas(replicas).endSpec().build()));
  }

  /** Waits until {@code rs} owns exactly {@code n} pods, the namespace holds {@code total}, and status says so. */
  static void awaitConverged(String ns, String name, int n, int total) {
    Await.until(name + " owns " + n + " of " + total + " pods and reports it", () -> {
      ReplicaSet rs = get(ns, name);
      return owned(ns, name).size() == n && allPods(ns).size() == total && rs.getStatus() != null
          && Objects.equals(rs.getStatus().getReplicas(), n)
          && Objects.equals(rs.getStatus().getObservedGeneration(), rs.getMetadata().getGeneration());
    }, () -> "pods " + names(allPods(ns)) + ", status " + get(ns, name).getStatus());
    Await.holds(name + " stays at " + n, () -> owned(ns, name).size() == n && allPods(ns).size() == total,
        STEADY, () -> "pods " + names(allPods(ns)));
  }

  static void markReady(Pod pod) {
    Pod ready = new PodBuilder(pod).editOrNewStatus().withPhase("Running")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
            .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build())
        .endStatus().build();
    client.pods().resource(ready).updateStatus();
  }

  @Test
  void createsScalesUpAndScalesDownWithStatusFollowing() {
    String ns = Clients.namespace(client, "rs-scale");
    client.apps().replicaSets().resource(replicaSet(ns, "web", 3, "web")).create();
    awaitConverged(ns, "web", 3, 3);
    ReplicaSet rs = get(ns, "web");
    assertEquals(3, rs.getStatus().getFullyLabeledReplicas());
    assertEquals(0, rs.getStatus().getAvailableReplicas(), "nothing runs pods here");
    for (Pod p : owned(ns, "web")) {
      assertTrue(p.getMetadata().getName().startsWith("web-"), p.getMetadata().getName());
      assertEquals("web", p.getMetadata().getLabels().get("app"));
      OwnerReference ref = OwnerReferences.controllerOf(p).orElseThrow();
      assertEquals("ReplicaSet", ref.getKind());
      assertEquals("apps/v1", ref.getApiVersion());
      assertEquals("web", ref.getName());
      assertTrue(ref.getBlockOwnerDeletion());
    }

    scale(ns, "web", 5);
    awaitConverged(ns, "web", 5, 5);
    scale(ns, "web", 1);
    awaitConverged(ns, "web", 1, 1);
    scale(ns, "web", 0);
    awaitConverged(ns, "web", 0, 0);
  }

  @Test
  void aPodDeletedByHandIsReplaced() {
    String ns = Clients.namespace(client, "rs-replace");
    client.apps().replicaSets().resource(replicaSet(ns, "web", 2, "web")).create();
    awaitConverged(ns, "web", 2, 2);
    String victim = owned(ns, "web").get(0).getMetadata().getName();
    client.pods().inNamespace(ns).withName(victim).delete();
    Await.until("a replacement exists", () -> {
      Set<String> now = names(owned(ns, "web"));
      return now.size() == 2 && !now.contains(victim);
    }, () -> names(allPods(ns)).toString());
    awaitConverged(ns, "web", 2, 2);
  }

  @Test
  void aMatchingOrphanIsAdoptedInsteadOfCreatingAPod() {
    String ns = Clients.namespace(client, "rs-adopt");
    client.pods().resource(orphan(ns, "stray", "web")).create();
    client.apps().replicaSets().resource(replicaSet(ns, "web", 2, "web")).create();
    awaitConverged(ns, "web", 2, 2);
    assertTrue(names(owned(ns, "web")).contains("stray"));
  }

  @Test
  void anOrphanCreatedLaterIsAdoptedAndTheSurplusRemoved() {
    String ns = Clients.namespace(client, "rs-adopt-later");
    client.apps().replicaSets().resource(replicaSet(ns, "web", 1, "web")).create();
    awaitConverged(ns, "web", 1, 1);
    client.pods().resource(orphan(ns, "late", "web")).create();
    // Only owned pods are ever deleted: one pod left, owned, means the orphan was adopted.
    awaitConverged(ns, "web", 1, 1);
  }

  @Test
  void aPodWhoseLabelsStopMatchingIsReleasedAndReplaced() {
    String ns = Clients.namespace(client, "rs-release");
    client.apps().replicaSets().resource(replicaSet(ns, "web", 2, "web")).create();
    awaitConverged(ns, "web", 2, 2);
    String moved = owned(ns, "web").get(0).getMetadata().getName();
    Edits.retrying(() -> client.pods().inNamespace(ns).withName(moved)
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("app", "elsewhere").endMetadata().build()));
    awaitConverged(ns, "web", 2, 3);
    Pod released = client.pods().inNamespace(ns).withName(moved).get();
    assertTrue(released.getMetadata().getOwnerReferences() == null || released.getMetadata().getOwnerReferences().isEmpty(),
        "released: " + released.getMetadata().getOwnerReferences());
    assertTrue(!names(owned(ns, "web")).contains(moved));
  }

  @Test
  void readyPodsAreCountedAndKeptWhenScalingDown() {
    String ns = Clients.namespace(client, "rs-ready");
    client.apps().replicaSets().resource(replicaSet(ns, "web", 3, "web")).create();
    awaitConverged(ns, "web", 3, 3);
    Pod keep = owned(ns, "web").get(1);
    markReady(keep);
    Await.until("ready and available are counted", () -> {
      var status = get(ns, "web").getStatus();
      return Objects.equals(status.getReadyReplicas(), 1) && Objects.equals(status.getAvailableReplicas(), 1);
    }, () -> String.valueOf(get(ns, "web").getStatus()));
    scale(ns, "web", 1);
    awaitConverged(ns, "web", 1, 1);
    assertEquals(keep.getMetadata().getName(), owned(ns, "web").get(0).getMetadata().getName(),
        "the not-ready pods go first");
  }

  @Test
  void aReadyPodIsNotAvailableBeforeMinReadySeconds() {
    String ns = Clients.namespace(client, "rs-min-ready");
    ReplicaSet rs = new ReplicaSetBuilder(replicaSet(ns, "web", 1, "web")).editSpec().withMinReadySeconds(3600)
        .endSpec().build();
    client.apps().replicaSets().resource(rs).create();
    awaitConverged(ns, "web", 1, 1);
    markReady(owned(ns, "web").get(0));
    Await.until("ready is counted", () -> Objects.equals(get(ns, "web").getStatus().getReadyReplicas(), 1));
    assertEquals(0, get(ns, "web").getStatus().getAvailableReplicas());
  }

  @Test
  void anAdoptionBasedOnAStaleReadIsRefused() {
    String ns = Clients.namespace(client, "rs-stale-adopt");
    Pod stale = client.pods().resource(orphan(ns, "contested", "nobody")).create();
    Edits.retrying(() -> client.pods().inNamespace(ns).withName("contested")
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("touched", "yes").endMetadata().build()));
    ReplicaSet owner = client.apps().replicaSets().resource(replicaSet(ns, "web", 0, "web")).create();
    String patch = client.getKubernetesSerialization()
        .asJson(OwnerReferences.adoptPatch(OwnerReferences.controllerReference(owner), stale));
    KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.pods().inNamespace(ns)
        .withName("contested").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch));
    assertEquals(409, e.getCode());
    assertTrue(OwnerReferences.controllerOf(client.pods().inNamespace(ns).withName("contested").get()).isEmpty());
  }

  @Test
  void podsOfAnotherReplicaSetAreLeftAlone() {
    String ns = Clients.namespace(client, "rs-two");
    client.apps().replicaSets().resource(replicaSet(ns, "a", 2, "a")).create();
    client.apps().replicaSets().resource(replicaSet(ns, "b", 1, "b")).create();
    awaitConverged(ns, "a", 2, 3);
    awaitConverged(ns, "b", 1, 3);
    assertNotEquals(names(owned(ns, "a")), names(owned(ns, "b")));
  }
}
