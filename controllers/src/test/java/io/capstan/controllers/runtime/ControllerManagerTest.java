package io.capstan.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

class ControllerManagerTest {

  @Test
  void findsTheInformerItHoldsByApiVersionAndKind() {
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build()).build()) {
      ControllerManager manager = new ControllerManager(client);
      var pods = manager.informer(Pod.class);
      assertSame(pods, manager.existingInformer("v1", "Pod").orElseThrow());
      assertTrue(manager.existingInformer("apps/v1", "ReplicaSet").isEmpty());
      assertTrue(manager.existingInformer("v1", "ReplicaSet").isEmpty());
      var sets = manager.informer(ReplicaSet.class);
      assertSame(sets, manager.existingInformer("apps/v1", "ReplicaSet").orElseThrow());
    }
  }
}
