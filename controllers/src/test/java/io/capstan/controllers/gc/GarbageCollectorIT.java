package io.capstan.controllers.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cascading deletion against a real API server: every policy, custom resources, a chain. */
class GarbageCollectorIT {
  static final String HOLD = "example.com/hold";
  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    // Pods and ReplicaSets through informers the manager already holds for other controllers (as
    // in capstan server); every other kind through the collector's own generic informers.
    fixture = ControllerFixture.start(m -> {
      m.informer(Pod.class);
      m.informer(ReplicaSet.class);
      m.register(GarbageCollector.controller(m, 2, Duration.ofSeconds(1)));
    });
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static ReplicaSet replicaSet(String ns, String name) {
    return client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  static Pod pod(String ns, String name, List<OwnerReference> owners, String... finalizers) {
    return client.pods().inNamespace(ns).resource(new PodBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).withOwnerReferences(owners).withFinalizers(finalizers)
        .endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build()).create();
  }

  static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }

  static void release(String ns, String podName) {
    Edits.retrying(() -> client.pods().inNamespace(ns).withName(podName).edit(p -> new PodBuilder(p).editMetadata()
        .removeFromFinalizers(HOLD).endMetadata().build()));
  }

  @Test
  void backgroundDeletionRemovesTheDependents() {
    String ns = Clients.namespace(client, "gc-bg");
    ReplicaSet rs = replicaSet(ns, "web");
    for (int i = 0; i < 3; i++) {
      pod(ns, "web-" + i, List.of(OwnerReferences.controllerReference(rs)));
    }
    client.apps().replicaSets().inNamespace(ns).withName("web").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    Await.until("the pods are collected", () -> pods(ns).isEmpty(), () -> pods(ns).toString());
  }

  @Test
  void aDependentOfAnOwnerThatNeverExistedIsCollectedAndALiveOwnerKeepsIt() {
    String ns = Clients.namespace(client, "gc-absent");
    ReplicaSet live = replicaSet(ns, "live");
    OwnerReference ghost = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName("ghost").withUid("00000000-0000-0000-0000-00000000dead").build();
    pod(ns, "lonely", List.of(ghost));
    pod(ns, "shared", List.of(ghost, OwnerReferences.controllerReference(live)));
    Await.until("the pod whose only owner is absent is deleted",
        () -> client.pods().inNamespace(ns).withName("lonely").get() == null);
    Await.until("the pod with a live owner loses only the dangling reference", () -> {
      Pod p = client.pods().inNamespace(ns).withName("shared").get();
      return p != null && p.getMetadata().getOwnerReferences().size() == 1
          && p.getMetadata().getOwnerReferences().get(0).getUid().equals(live.getMetadata().getUid());
    });
  }

  @Test
  void foregroundDeletionRemovesTheDependentsBeforeTheOwner() {
    String ns = Clients.namespace(client, "gc-fg");
    ReplicaSet rs = replicaSet(ns, "web");
    OwnerReference ref = OwnerReferences.controllerReference(rs);
    pod(ns, "web-0", List.of(ref));
    pod(ns, "web-1", List.of(ref));
    pod(ns, "web-held", List.of(ref), HOLD);
    client.apps().replicaSets().inNamespace(ns).withName("web").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    Await.until("the free pods are collected", () -> pods(ns).size() == 1, () -> pods(ns).toString());
    Await.holds("the owner waits for its blocking dependent", () -> {
      ReplicaSet r = client.apps().replicaSets().inNamespace(ns).withName("web").get();
      return r != null && r.getMetadata().getDeletionTimestamp() != null;
    }, Duration.ofSeconds(2), () -> "replicaset gone early");
    release(ns, "web-held");
    Await.until("the owner goes once its dependents are gone",
        () -> client.apps().replicaSets().inNamespace(ns).withName("web").get() == null);
    assertTrue(pods(ns).isEmpty());
  }

  @Test
  void orphanDeletionKeepsTheDependentsWithoutTheReference() {
    String ns = Clients.namespace(client, "gc-orphan");
    ReplicaSet rs = replicaSet(ns, "web");
    pod(ns, "web-0", List.of(OwnerReferences.controllerReference(rs)));
    pod(ns, "web-1", List.of(OwnerReferences.controllerReference(rs)));
    client.apps().replicaSets().inNamespace(ns).withName("web").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    Await.until("the owner is removed", () -> client.apps().replicaSets().inNamespace(ns).withName("web").get() == null);
    List<Pod> left = pods(ns);
    assertEquals(2, left.size(), left.toString());
    left.forEach(p -> assertTrue(p.getMetadata().getOwnerReferences() == null
        || p.getMetadata().getOwnerReferences().isEmpty(), p.getMetadata().toString()));
    Await.holds("orphans stay", () -> pods(ns).size() == 2, Duration.ofSeconds(1), () -> pods(ns).toString());
  }

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.gc.example.com}
      spec:
        group: gc.example.com
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """;

  @Test
  void aCustomResourceOwningConfigMapsIsCollected() {
    String ns = Clients.namespace(client, "gc-crd");
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .load(new ByteArrayInputStream(CRD.getBytes(StandardCharsets.UTF_8))).item();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup("gc.example.com")
        .withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();
    Await.until("the custom resource is served", () -> {
      try {
        client.genericKubernetesResources(ctx).inNamespace(ns).list();
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    });
    GenericKubernetesResource widget = client.genericKubernetesResources(ctx).inNamespace(ns)
        .resource(new GenericKubernetesResourceBuilder().withApiVersion("gc.example.com/v1").withKind("Widget")
            .withNewMetadata().withName("w").withNamespace(ns).endMetadata()
            .withAdditionalProperties(Map.of("spec", Map.of("size", 2))).build()).create();
    for (int i = 0; i < 2; i++) {
      client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("w-" + i)
          .withOwnerReferences(OwnerReferences.controllerReference(widget)).endMetadata()
          .addToData("k", "v").build()).create();
    }
    client.genericKubernetesResources(ctx).inNamespace(ns).withName("w").delete();
    Await.until("the widget's configmaps are collected",
        () -> client.configMaps().inNamespace(ns).list().getItems().stream()
            .noneMatch(c -> c.getMetadata().getName().startsWith("w-")),
        () -> client.configMaps().inNamespace(ns).list().getItems().toString());
  }

  @Test
  void foregroundDeletionWalksAChainBottomUp() {
    String ns = Clients.namespace(client, "gc-chain");
    Deployment d = client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName("app").endMetadata()
        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "app").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "app").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName("app-1").withOwnerReferences(OwnerReferences.controllerReference(d)).endMetadata()
        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "app").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "app").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    pod(ns, "app-1-a", List.of(OwnerReferences.controllerReference(rs)));
    pod(ns, "app-1-held", List.of(OwnerReferences.controllerReference(rs)), HOLD);
    client.apps().deployments().inNamespace(ns).withName("app").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    Await.until("the middle owner is deleted in the foreground too", () -> {
      ReplicaSet r = client.apps().replicaSets().inNamespace(ns).withName("app-1").get();
      return r != null && r.getMetadata().getFinalizers().contains("foregroundDeletion");
    });
    Await.until("the free pod is collected", () -> pods(ns).size() == 1, () -> pods(ns).toString());
    Await.holds("the chain waits for the held pod", () -> exists(client.apps().deployments().inNamespace(ns)
        .withName("app").get()) && exists(client.apps().replicaSets().inNamespace(ns).withName("app-1").get()),
        Duration.ofSeconds(2), () -> "an owner went early");
    release(ns, "app-1-held");
    Await.until("the whole chain is gone", () -> client.apps().deployments().inNamespace(ns).withName("app").get() == null
        && client.apps().replicaSets().inNamespace(ns).withName("app-1").get() == null && pods(ns).isEmpty());
  }

  static boolean exists(HasMetadata o) {
    return o != null;
  }

  @Test
  void aConfigMapOwnedByAClusterScopedObjectStaysWhileItExists() {
    String ns = Clients.namespace(client, "gc-cluster-owner");
    io.fabric8.kubernetes.api.model.Namespace owner = client.namespaces().withName(Clients.namespace(client, "gc-owner-ns")).get();
    ConfigMap cm = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("owned")
        .withOwnerReferences(OwnerReferences.controllerReference(owner)).endMetadata().build()).create();
    assertNotNull(cm);
    Await.holds("a namespaced dependent of a live cluster-scoped owner stays",
        () -> client.configMaps().inNamespace(ns).withName("owned").get() != null, Duration.ofSeconds(2), () -> "");
  }

  @Test
  void aClusterScopedDependentOfANamespacedOwnerIsLeftAlone() {
    OwnerReference invalid = new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
        .withName("nowhere").withUid("00000000-0000-0000-0000-0000000000cc").build();
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("gc-invalid-ref").withOwnerReferences(invalid).endMetadata().build()).create();
    Await.holds("an unresolvable reference deletes nothing",
        () -> client.namespaces().withName("gc-invalid-ref").get() != null, Duration.ofSeconds(2), () -> "");
  }
}
