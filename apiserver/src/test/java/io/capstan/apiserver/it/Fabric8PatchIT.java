package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fabric8 8.0.0: JSON, merge and strategic patches, and server-side apply with conflicts. */
class Fabric8PatchIT {
  static TestApiServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = TestApiServer.start();
    Config config = new ConfigBuilder().withMasterUrl(server.url()).withRequestRetryBackoffLimit(0).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
        .addNewContainer().withName("main").withImage("registry.local:5000/" + name + ":1").endContainer()
        .addNewContainer().withName("side").withImage("registry.local:5000/side:1").endContainer()
        .endSpec().endTemplate().endSpec().build();
  }

  @Test
  void threePatchTypes() {
    client.apps().deployments().inNamespace("default").resource(deployment("patched", 1)).create();
    var d = client.apps().deployments().inNamespace("default").withName("patched");
    d.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]");
    d.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"merged\":\"yes\"}}}");
    d.patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"registry.local:5000/side:2\"}]}}}}");
    Deployment got = d.get();
    assertEquals(2, got.getSpec().getReplicas());
    assertEquals("yes", got.getMetadata().getLabels().get("merged"));
    assertEquals(2, got.getSpec().getTemplate().getSpec().getContainers().size(), "merged by name, not replaced");
    assertEquals("registry.local:5000/side:2", got.getSpec().getTemplate().getSpec().getContainers().get(1).getImage());
    KubernetesClientException failedTest = assertThrows(KubernetesClientException.class,
        () -> d.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":7}]"));
    assertEquals(422, failedTest.getCode());
  }

  @Test
  void serverSideApplyCreateUpdateConflictAndForce() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("ssa").withNamespace("default").endMetadata()
        .addToData("owner", "first").build();
    ConfigMap created = client.configMaps().resource(cm).serverSideApply();
    assertEquals("first", created.getData().get("owner"));
    assertEquals("fabric8", created.getMetadata().getManagedFields().get(0).getManager());
    assertEquals("Apply", created.getMetadata().getManagedFields().get(0).getOperation());

    ConfigMap other = new ConfigMapBuilder().withNewMetadata().withName("ssa").withNamespace("default").endMetadata()
        .addToData("owner", "second").build();
    KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().resource(other).fieldManager("other").serverSideApply());
    assertEquals(409, conflict.getCode());
    assertEquals("FieldManagerConflict", conflict.getStatus().getDetails().getCauses().get(0).getReason());
    assertEquals(".data.owner", conflict.getStatus().getDetails().getCauses().get(0).getField());

    ConfigMap forced = client.configMaps().resource(other).fieldManager("other").forceConflicts().serverSideApply();
    assertEquals("second", forced.getData().get("owner"));
    assertTrue(forced.getMetadata().getManagedFields().stream().anyMatch(m -> m.getManager().equals("other")));
  }
}
