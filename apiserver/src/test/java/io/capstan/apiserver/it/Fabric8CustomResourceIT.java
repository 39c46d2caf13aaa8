package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.it.crontab.CronTab;
import io.capstan.apiserver.it.crontab.CronTabSpec;
import io.capstan.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An operator author's path: CRD applied, typed CustomResource CRUD, and an informer. */
class Fabric8CustomResourceIT {
  static TestApiServer server;
  static KubernetesClient client;

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: crontabs.stable.example.com
      spec:
        group: stable.example.com
        scope: Namespaced
        names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [cronSpec]
                  properties:
                    cronSpec: {type: string}
                    image: {type: string}
                    replicas: {type: integer, minimum: 0, default: 1}
                status:
                  type: object
                  properties:
                    replicas: {type: integer}
      """;

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

  @Test
  void crdThenTypedCrudAndInformer() throws Exception {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .load(new ByteArrayInputStream(CRD.getBytes(StandardCharsets.UTF_8))).item();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    client.apiextensions().v1().customResourceDefinitions().withName("crontabs.stable.example.com")
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(cond -> cond.getType().equals("Established") && cond.getStatus().equals("True")), 10, TimeUnit.SECONDS);

    MixedOperation<CronTab, KubernetesResourceList<CronTab>, Resource<CronTab>> crontabs = client.resources(CronTab.class);
    SharedIndexInformer<CronTab> informer = crontabs.inNamespace("default").inform();
    try {
      CronTab ct = new CronTab();
      ct.setMetadata(new ObjectMetaBuilder().withName("nightly").build());
      CronTabSpec spec = new CronTabSpec();
      spec.setCronSpec("0 3 * * *");
      spec.setImage("registry.local:5000/backup:1");
      ct.setSpec(spec);
      CronTab created = crontabs.inNamespace("default").resource(ct).create();
      assertEquals(1, created.getSpec().getReplicas(), "schema default applied");

      CronTab edited = crontabs.inNamespace("default").withName("nightly").edit(c -> {
        c.getSpec().setReplicas(2);
        return c;
      });
      assertEquals(2, edited.getSpec().getReplicas());
      assertEquals(2L, edited.getMetadata().getGeneration());

      CronTab bad = new CronTab();
      bad.setMetadata(new ObjectMetaBuilder().withName("bad").build());
      bad.setSpec(new CronTabSpec());
      KubernetesClientException invalid = assertThrows(KubernetesClientException.class,
          () -> crontabs.inNamespace("default").resource(bad).create());
      assertEquals(422, invalid.getCode());

      for (int i = 0; i < 100 && informer.getStore().list().stream().noneMatch(c -> c.getSpec().getReplicas() == 2); i++) {
        Thread.sleep(50);
      }
      Set<String> names = informer.getStore().list().stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
      assertEquals(Set.of("nightly"), names);
      assertNotNull(crontabs.inNamespace("default").withName("nightly").get());
      crontabs.inNamespace("default").withName("nightly").delete();
      for (int i = 0; i < 100 && !informer.getStore().list().isEmpty(); i++) {
        Thread.sleep(50);
      }
      assertTrue(informer.getStore().list().isEmpty(), "informer saw the delete");
    } finally {
      informer.close();
    }
  }
}
