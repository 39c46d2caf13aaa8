package io.capstan.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.replicaset.ReplicaSetReconciler;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.DelayedKubelet;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Deployment controller with the ReplicaSet controller and a test kubelet against a real API
 * server: rollouts, their bounds at every pod event, history, pausing and the progress deadline.
 */
class DeploymentReconcilerIT {
  static final Duration STEADY = Duration.ofSeconds(2);

  static ControllerFixture fixture;
  static KubernetesClient client;
  static DelayedKubelet kubelet;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(ReplicaSetReconciler.controller(m, 2))
        .register(DeploymentReconciler.controller(m, 2)));
    client = fixture.client;
    kubelet = new DelayedKubelet(client, Duration.ofMillis(150));
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    fixture.close();
  }

  static Deployment deployment(String ns, String name, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  static Deployment rolling(Deployment d, int maxSurge, int maxUnavailable) {
    return new DeploymentBuilder(d).editSpec().withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString(maxSurge)).withMaxUnavailable(new IntOrString(maxUnavailable))
        .endRollingUpdate().endStrategy().endSpec().build();
  }

  static Deployment get(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  /** Changes the deployment as a user would, reading again when the controller wrote in between. */
  static void edit(String ns, String name, UnaryOperator<DeploymentBuilder> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        client.apps().deployments().inNamespace(ns).withName(name).edit(d -> change.apply(new DeploymentBuilder(d)).build());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  static void setImage(String ns, String name, String image) {
    edit(ns, name, b -> b.editSpec().editTemplate().editSpec().editFirstContainer().withImage(image).endContainer()
        .endSpec().endTemplate().endSpec());
  }

  static List<ReplicaSet> replicaSets(String ns) {
    return client.apps().replicaSets().inNamespace(ns).list().getItems();
  }

  static List<Pod> livePods(String ns) {
    return client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus() == null || d.getStatus().getConditions() == null ? null
        : d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** What {@code kubectl rollout status} waits for, and the Progressing reason of a finished rollout. */
  static boolean rolledOut(Deployment d) {
    DeploymentStatus s = d.getStatus();
    int want = d.getSpec().getReplicas();
    DeploymentCondition progressing = condition(d, "Progressing");
    return s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && n(s.getUpdatedReplicas()) == want && n(s.getReplicas()) == want && n(s.getAvailableReplicas()) == want
        && progressing != null && "NewReplicaSetAvailable".equals(progressing.getReason());
  }

  static void awaitRolledOut(String ns, String name) {
    Await.until(name + " has rolled out", () -> rolledOut(get(ns, name)) && livePods(ns).size() == get(ns, name)
        .getSpec().getReplicas(), () -> get(ns, name).getStatus() + " rs " + replicaSets(ns).stream()
        .map(rs -> rs.getMetadata().getName() + "=" + rs.getSpec().getReplicas()).toList());
  }

  static int n(Integer v) {
    return v == null ? 0 : v;
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String hash(Pod p) {
    return p.getMetadata().getLabels().get("pod-template-hash");
  }

  @Test
  void createsAReplicaSetNamedByTheTemplateHashAndScales() {
    String ns = Clients.namespace(client, "deploy-create");
    client.apps().deployments().resource(deployment(ns, "web", 3, "nginx:1")).create();
    awaitRolledOut(ns, "web");
    List<ReplicaSet> sets = replicaSets(ns);
    assertEquals(1, sets.size());
    ReplicaSet rs = sets.get(0);
    String hash = rs.getSpec().getSelector().getMatchLabels().get("pod-template-hash");
    assertNotNull(hash);
    assertEquals("web-" + hash, rs.getMetadata().getName());
    assertEquals(hash, rs.getMetadata().getLabels().get("pod-template-hash"));
    assertEquals(hash, rs.getSpec().getTemplate().getMetadata().getLabels().get("pod-template-hash"));
    assertEquals("1", rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    assertEquals("3", rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/desired-replicas"));
    assertEquals("Deployment", OwnerReferences.controllerOf(rs).orElseThrow().getKind());
    assertEquals("1", get(ns, "web").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    assertTrue(livePods(ns).stream().allMatch(p -> hash.equals(hash(p))));
    assertEquals("True", condition(get(ns, "web"), "Available").getStatus());

    edit(ns, "web", b -> b.editSpec().withReplicas(5).endSpec());
    awaitRolledOut(ns, "web");
    edit(ns, "web", b -> b.editSpec().withReplicas(2).endSpec());
    awaitRolledOut(ns, "web");
    assertEquals(1, replicaSets(ns).size(), "scaling makes no new ReplicaSet");
    assertEquals("2", replicaSets(ns).get(0).getMetadata().getAnnotations().get("deployment.kubernetes.io/desired-replicas"));
  }

  @ParameterizedTest(name = "maxSurge {0}, maxUnavailable {1}")
  @CsvSource({"1,1", "0,1", "2,0"})
  void aRollingUpdateStaysWithinSurgeAndUnavailabilityAtEveryPodEvent(int surge, int unavailable) {
    String ns = Clients.namespace(client, "deploy-rolling-" + surge + "-" + unavailable);
    int replicas = 5;
    client.apps().deployments().resource(rolling(deployment(ns, "web", replicas, "nginx:1"), surge, unavailable)).create();
    awaitRolledOut(ns, "web");
    String oldHash = hash(livePods(ns).get(0));
    try (PodWatch watch = new PodWatch(client, ns, pods -> {
      List<Pod> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
      long available = live.stream().filter(DeploymentReconcilerIT::ready).count();
      if (live.size() > replicas + surge) {
        return "too many pods: " + live.size();
      }
      return available < replicas - unavailable ? "too few available: " + available : null;
    })) {
      setImage(ns, "web", "nginx:2");
      awaitRolledOut(ns, "web");
      assertTrue(watch.events() > replicas, "the watch saw the rollout: " + watch.events());
      assertEquals(List.of(), watch.violations());
    }
    Set<String> hashes = livePods(ns).stream().map(DeploymentReconcilerIT::hash).collect(Collectors.toSet());
    assertEquals(1, hashes.size());
    assertNotEquals(oldHash, hashes.iterator().next());
    assertEquals(2, replicaSets(ns).size(), "the old ReplicaSet stays, scaled to 0");
    assertEquals("2", get(ns, "web").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
  }

  @Test
  void recreateNeverRunsOldAndNewPodsAtOnce() {
    String ns = Clients.namespace(client, "deploy-recreate");
    Deployment d = new DeploymentBuilder(deployment(ns, "web", 3, "nginx:1")).editSpec().withNewStrategy()
        .withType("Recreate").endStrategy().endSpec().build();
    client.apps().deployments().resource(d).create();
    awaitRolledOut(ns, "web");
    try (PodWatch watch = new PodWatch(client, ns, pods -> {
      Set<String> hashes = pods.stream().map(DeploymentReconcilerIT::hash).collect(Collectors.toSet());
      return hashes.size() > 1 ? "old and new pods at once: " + hashes : null;
    })) {
      setImage(ns, "web", "nginx:2");
      awaitRolledOut(ns, "web");
      assertEquals(List.of(), watch.violations());
    }
    assertEquals(2, replicaSets(ns).size());
  }

  @Test
  void oldReplicaSetsBeyondTheHistoryLimitAreDeleted() {
    String ns = Clients.namespace(client, "deploy-history");
    Deployment d = new DeploymentBuilder(deployment(ns, "web", 2, "nginx:1")).editSpec().withRevisionHistoryLimit(1)
        .endSpec().build();
    client.apps().deployments().resource(d).create();
    awaitRolledOut(ns, "web");
    for (int i = 2; i <= 4; i++) {
      setImage(ns, "web", "nginx:" + i);
      awaitRolledOut(ns, "web");
    }
    Await.until("one old ReplicaSet is kept", () -> replicaSets(ns).size() == 2,
        () -> replicaSets(ns).stream().map(rs -> rs.getMetadata().getName()).toList().toString());
    Set<String> revisions = replicaSets(ns).stream()
        .map(rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")).collect(Collectors.toSet());
    assertEquals(Set.of("3", "4"), revisions);
  }

  @Test
  void aPausedDeploymentScalesButDoesNotRollUntilResumed() {
    String ns = Clients.namespace(client, "deploy-paused");
    client.apps().deployments().resource(deployment(ns, "web", 2, "nginx:1")).create();
    awaitRolledOut(ns, "web");
    edit(ns, "web", b -> b.editSpec().withPaused(true).endSpec());
    Await.until("the pause is shown", () -> {
      DeploymentCondition c = condition(get(ns, "web"), "Progressing");
      return c != null && "DeploymentPaused".equals(c.getReason()) && "Unknown".equals(c.getStatus());
    }, () -> String.valueOf(get(ns, "web").getStatus()));
    setImage(ns, "web", "nginx:2");
    edit(ns, "web", b -> b.editSpec().withReplicas(4).endSpec());
    Await.until("a paused deployment scales", () -> livePods(ns).size() == 4
        && replicaSets(ns).get(0).getSpec().getReplicas() == 4);
    Await.holds("no rollout while paused", () -> replicaSets(ns).size() == 1, STEADY,
        () -> replicaSets(ns).toString());
    edit(ns, "web", b -> b.editSpec().withPaused(false).endSpec());
    awaitRolledOut(ns, "web");
    assertEquals(2, replicaSets(ns).size());
    assertTrue(livePods(ns).stream().allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("nginx:2")));
  }

  @Test
  void aRolloutWhosePodsNeverGetReadyExceedsItsDeadline() {
    String ns = Clients.namespace(client, "deploy-deadline");
    Deployment d = new DeploymentBuilder(deployment(ns, "web", 2, "nginx:1")).editSpec().withProgressDeadlineSeconds(2)
        .editTemplate().editMetadata().addToLabels(DelayedKubelet.IGNORE_LABEL, "ignore").endMetadata().endTemplate()
        .endSpec().build();
    client.apps().deployments().resource(d).create();
    Await.until("the deadline is exceeded", () -> {
      DeploymentCondition c = condition(get(ns, "web"), "Progressing");
      return c != null && "ProgressDeadlineExceeded".equals(c.getReason()) && "False".equals(c.getStatus());
    }, () -> String.valueOf(get(ns, "web").getStatus()));
    DeploymentCondition available = condition(get(ns, "web"), "Available");
    assertEquals("False", available.getStatus());
    assertEquals("MinimumReplicasUnavailable", available.getReason());
  }

  @Test
  void scalingInTheMiddleOfARolloutScalesEveryReplicaSetProportionally() {
    String ns = Clients.namespace(client, "deploy-proportional");
    client.apps().deployments().resource(rolling(deployment(ns, "web", 10, "nginx:1"), 3, 2)).create();
    awaitRolledOut(ns, "web");
    String oldName = replicaSets(ns).get(0).getMetadata().getName();
    // New pods never get ready: the rollout stops at 8 old and 5 new (13 = 10 + surge 3).
    edit(ns, "web", b -> b.editSpec().editTemplate().editMetadata().addToLabels(DelayedKubelet.IGNORE_LABEL, "ignore")
        .endMetadata().endTemplate().endSpec());
    awaitSizes(ns, oldName, 8, 5);
    edit(ns, "web", b -> b.editSpec().withReplicas(20).endSpec());
    // 23 allowed now; each ReplicaSet grows by its share: 8 * 23/13 ~ 14 and 5 * 23/13 ~ 9.
    awaitSizes(ns, oldName, 14, 9);
  }

  static void awaitSizes(String ns, String oldName, int old, int fresh) {
    BooleanSupplier sizes = () -> {
      List<ReplicaSet> sets = replicaSets(ns);
      return sets.size() == 2 && sets.stream().allMatch(rs -> rs.getSpec().getReplicas()
          == (rs.getMetadata().getName().equals(oldName) ? old : fresh));
    };
    Supplier<String> state = () -> replicaSets(ns).stream()
        .map(rs -> rs.getMetadata().getName() + "=" + rs.getSpec().getReplicas()).toList().toString();
    Await.until("old at " + old + ", new at " + fresh, sizes, state);
    Await.holds("the sizes stay", sizes, Duration.ofSeconds(1), state);
  }

  @Test
  void aNameTakenByAnotherReplicaSetCountsACollisionAndUsesAnotherHash() {
    String ns = Clients.namespace(client, "deploy-collision");
    Deployment paused = new DeploymentBuilder(deployment(ns, "web", 1, "nginx:1")).editSpec().withPaused(true)
        .endSpec().build();
    Deployment created = client.apps().deployments().resource(paused).create();
    String taken = "web-" + PodTemplateHash.of(created.getSpec().getTemplate(), null);
    client.apps().replicaSets().resource(new ReplicaSetBuilder()
        .withNewMetadata().withNamespace(ns).withName(taken).addToLabels("app", "other").endMetadata()
        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "other").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "other").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("other").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    edit(ns, "web", b -> b.editSpec().withPaused(false).endSpec());
    awaitRolledOut(ns, "web");
    assertEquals(1, get(ns, "web").getStatus().getCollisionCount());
    String expected = "web-" + PodTemplateHash.of(created.getSpec().getTemplate(), 1);
    assertEquals(Set.of(taken, expected),
        replicaSets(ns).stream().map(rs -> rs.getMetadata().getName()).collect(Collectors.toSet()));
  }

  @Test
  void aDeploymentBeingDeletedIsLeftAlone() {
    String ns = Clients.namespace(client, "deploy-deleting");
    Deployment d = new DeploymentBuilder(deployment(ns, "web", 1, "nginx:1")).editMetadata()
        .addToFinalizers("test.capstan.io/hold").endMetadata().build();
    client.apps().deployments().resource(d).create();
    awaitRolledOut(ns, "web");
    client.apps().deployments().inNamespace(ns).withName("web").delete();
    Await.until("deletion has started", () -> get(ns, "web").getMetadata().getDeletionTimestamp() != null);
    setImage(ns, "web", "nginx:2");
    Await.holds("no new ReplicaSet", () -> replicaSets(ns).size() == 1, STEADY, () -> replicaSets(ns).toString());
    edit(ns, "web", b -> b.editMetadata().withFinalizers(List.of()).endMetadata());
    Await.until("the deployment is gone", () -> get(ns, "web") == null);
    assertTrue(Objects.nonNull(replicaSets(ns)));
  }
}
