package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Fabric8 8.0.0 client: CRUD, selectors, and informers kept consistent through a 410 relist. */
class Fabric8IT {
  static TestApiServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = TestApiServer.start();
    Config config = new ConfigBuilder().withMasterUrl(server.url()).withOauthToken("test-token")
        .withRequestRetryBackoffLimit(0).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build()).create();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void versionAndCrud() {
    assertEquals("32", client.getKubernetesVersion().getMinor());
    ConfigMap cm = client.configMaps().inNamespace("f8").resource(new ConfigMapBuilder().withNewMetadata().withName("crud")
        .addToLabels("app", "f8").endMetadata().addToData("a", "1").build()).create();
    assertNotNull(cm.getMetadata().getUid());
    ConfigMap got = client.configMaps().inNamespace("f8").withName("crud").get();
    assertEquals("1", got.getData().get("a"));
    got.getData().put("a", "2");
    ConfigMap updated = client.configMaps().inNamespace("f8").resource(got).update();
    assertEquals("2", updated.getData().get("a"));
    KubernetesClientException stale = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().inNamespace("f8").resource(got).update());
    assertEquals(409, stale.getCode());
    ConfigMap edited = client.configMaps().inNamespace("f8").withName("crud").edit(c -> {
      c.getMetadata().getLabels().put("edited", "yes");
      return c;
    });
    assertEquals("yes", edited.getMetadata().getLabels().get("edited"));
    assertEquals(1, client.configMaps().inNamespace("f8").withName("crud").delete().size());
    assertNull(client.configMaps().inNamespace("f8").withName("crud").get());
    assertTrue(client.configMaps().inNamespace("f8").withName("crud").delete().isEmpty());
  }

  @Test
  void listsWithSelectorsAndAcrossNamespaces() {
    for (String tier : new String[] {"web", "db", "web"}) {
      client.pods().inNamespace("f8").resource(new PodBuilder().withNewMetadata().withGenerateName("sel-")
          .addToLabels("tier", tier).endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox:1")
          .endContainer().endSpec().build()).create();
    }
    assertEquals(2, client.pods().inNamespace("f8").withLabel("tier", "web").list().getItems().size());
    assertEquals(1, client.pods().inNamespace("f8").withLabelIn("tier", "db").list().getItems().size());
    assertEquals(3, client.pods().inAnyNamespace().withLabel("tier").list().getItems().size());
    Pod one = client.pods().inNamespace("f8").withLabel("tier", "db").list().getItems().get(0);
    assertEquals("Pending", one.getStatus().getPhase());
    assertEquals(1, client.pods().inNamespace("f8").withField("metadata.name", one.getMetadata().getName()).list().getItems().size());
  }

  @Test
  void deploymentsAndScale() {
    Deployment d = client.apps().deployments().inNamespace("f8").resource(new DeploymentBuilder().withNewMetadata().withName("web")
        .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector().withNewTemplate()
        .withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("web")
        .withImage("nginx:1").endContainer().endSpec().endTemplate().endSpec().build()).create();
    assertEquals(1, d.getSpec().getReplicas());
    client.apps().deployments().inNamespace("f8").withName("web").scale(3);
    assertEquals(3, client.apps().deployments().inNamespace("f8").withName("web").get().getSpec().getReplicas());
  }

  @Test
  void informerStaysConsistentThroughChangesAndRelistAfterCompaction() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("inf").endMetadata().build()).create();
    Map<String, String> seen = new ConcurrentHashMap<>();
    SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("inf").inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap obj) {
        seen.put(obj.getMetadata().getName(), obj.getData() == null ? "" : obj.getData().getOrDefault("v", ""));
      }

      @Override
      public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
        seen.put(newObj.getMetadata().getName(), newObj.getData() == null ? "" : newObj.getData().getOrDefault("v", ""));
      }

      @Override
      public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
        seen.remove(obj.getMetadata().getName());
      }
    }, 0);
    try {
      informer.run();
      assertTrue(informer.hasSynced());
      for (int i = 0; i < 5; i++) {
        client.configMaps().inNamespace("inf").resource(new ConfigMapBuilder().withNewMetadata().withName("c" + i)
            .endMetadata().addToData("v", "0").build()).create();
      }
      client.configMaps().inNamespace("inf").withName("c1").edit(c -> {
        c.getData().put("v", "1");
        return c;
      });
      client.configMaps().inNamespace("inf").withName("c2").delete();
      await(() -> seen.keySet().equals(Set.of("c0", "c1", "c3", "c4")) && "1".equals(seen.get("c1")));
      assertEquals(storeNames(informer), seen.keySet());

      // Force the informer's next watch to start below the compacted revision: it must relist.
      client.configMaps().inNamespace("inf").withName("c3").delete();
      client.configMaps().inNamespace("inf").resource(new ConfigMapBuilder().withNewMetadata().withName("c5")
          .endMetadata().addToData("v", "5").build()).create();
      await(() -> seen.containsKey("c5"));
      // Writes elsewhere move the revision past the informer's last one without it seeing them;
      // compaction then makes its resume point too old, and closing the watches makes it resume.
      for (int i = 0; i < 3; i++) {
        client.configMaps().inNamespace("f8").resource(new ConfigMapBuilder().withNewMetadata().withGenerateName("other-")
            .endMetadata().build()).create();
      }
      server.storage().compact(server.storage().currentRevision());
      server.server().closeWatches();
      client.configMaps().inNamespace("inf").withName("c4").delete();
      client.configMaps().inNamespace("inf").resource(new ConfigMapBuilder().withNewMetadata().withName("c6")
          .endMetadata().addToData("v", "6").build()).create();
      await(() -> seen.keySet().equals(Set.of("c0", "c1", "c5", "c6")));
      await(() -> storeNames(informer).equals(Set.of("c0", "c1", "c5", "c6")));
    } finally {
      informer.close();
    }
  }

  private static Set<String> storeNames(SharedIndexInformer<ConfigMap> informer) {
    return informer.getStore().list().stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    assertTrue(condition.getAsBoolean(), "condition not reached within 10 s");
  }
}
