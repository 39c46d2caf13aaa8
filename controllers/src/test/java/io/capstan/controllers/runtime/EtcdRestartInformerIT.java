package io.capstan.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.EtcdProcess;
import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A Fabric8 informer through a restart of etcd under the API server: objects created before,
 * during (those the API acknowledged) and after the outage all reach the informer's store, which
 * ends equal (names and resourceVersions) to a fresh list.
 */
class EtcdRestartInformerIT {

  private static ConfigMap cm(String ns, String name) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .addToData("k", name).build();
  }

  private static Map<String, String> versions(List<ConfigMap> items) {
    Map<String, String> m = new TreeMap<>();
    for (ConfigMap c : items) {
      m.put(c.getMetadata().getName(), c.getMetadata().getResourceVersion());
    }
    return m;
  }

  @Test
  void anInformerLosesNoEventThroughAnEtcdRestart() {
    try (EtcdProcess etcd = EtcdProcess.start();
        TestApiServer server = TestApiServer.start(etcd.storageUrl());
        KubernetesClient client = Clients.of(server)) {
      String ns = Clients.namespace(client, "restart");
      for (int i = 0; i < 5; i++) {
        client.configMaps().inNamespace(ns).resource(cm(ns, "before-" + i)).create();
      }
      try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).inform()) {
        Await.until("informer synced", () -> informer.hasSynced() && informer.getStore().list().size() == 5);

        etcd.stop();
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          try {
            client.configMaps().inNamespace(ns).resource(cm(ns, "during-" + i)).create();
            acked.add("during-" + i);
          } catch (RuntimeException e) {
            // 503/504 while etcd is down: expected
          }
        }
        etcd.startProcess();
        Await.until("writes succeed again", () -> {
          try {
            client.configMaps().inNamespace(ns).resource(cm(ns, "after-0")).create();
            return true;
          } catch (RuntimeException e) {
            return false;
          }
        });
        for (int i = 1; i < 5; i++) {
          client.configMaps().inNamespace(ns).resource(cm(ns, "after-" + i)).create();
        }
        client.configMaps().inNamespace(ns).withName("before-0").delete();

        Await.until("the informer's store equals a fresh list",
            () -> versions(informer.getStore().list())
                .equals(versions(client.configMaps().inNamespace(ns).list().getItems())),
            () -> versions(informer.getStore().list()) + " vs "
                + versions(client.configMaps().inNamespace(ns).list().getItems()));
        Map<String, String> seen = versions(informer.getStore().list());
        for (String name : acked) {
          assertTrue(seen.containsKey(name), name);
        }
        assertTrue(seen.containsKey("after-4") && !seen.containsKey("before-0"), seen.toString());
      }
    }
  }
}
