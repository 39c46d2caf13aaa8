package io.capstan.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchMetadataTest {
  @Test
  void mergeKeysOfTheCommonLists() {
    assertKey(PodSpec.class, "containers", "name", "merge");
    assertKey(PodSpec.class, "initContainers", "name", "merge");
    assertKey(PodSpec.class, "ephemeralContainers", "name", "merge");
    assertKey(PodSpec.class, "volumes", "name", "merge,retainKeys");
    assertKey(PodSpec.class, "imagePullSecrets", "name", "merge");
    assertKey(PodSpec.class, "hostAliases", "ip", "merge");
    assertKey(PodSpec.class, "topologySpreadConstraints", "topologyKey", "merge");
    assertKey(PodSpec.class, "resourceClaims", "name", "merge,retainKeys");
    assertKey(Container.class, "env", "name", "merge");
    assertKey(Container.class, "ports", "containerPort", "merge");
    assertKey(Container.class, "volumeMounts", "mountPath", "merge");
    assertKey(Container.class, "volumeDevices", "devicePath", "merge");
    assertKey(ServiceSpec.class, "ports", "port", "merge");
    assertKey(ObjectMeta.class, "ownerReferences", "uid", "merge");
    assertKey(io.fabric8.kubernetes.api.model.PodStatus.class, "conditions", "type", "merge");
    assertKey(io.fabric8.kubernetes.api.model.apps.DeploymentStatus.class, "conditions", "type", "merge");
    assertEquals(List.of("port", "protocol"), PatchMetadata.lookup(ServiceSpec.class, "ports").orElseThrow().mapKeys());
  }

  @Test
  void listsWithoutMergeKeysAreReplaced() {
    assertTrue(PatchMetadata.lookup(PodSpec.class, "tolerations").isEmpty());
    assertTrue(PatchMetadata.lookup(Container.class, "envFrom").isEmpty());
    assertTrue(PatchMetadata.lookup(Container.class, "args").isEmpty());
    assertTrue(PatchMetadata.lookup(PodSpec.class, "readinessGates").isEmpty());
    PatchMetadata.Field finalizers = PatchMetadata.lookup(ObjectMeta.class, "finalizers").orElseThrow();
    assertTrue(finalizers.merges());
    assertEquals(null, finalizers.mergeKey());
    PatchMetadata.Field strategy =
        PatchMetadata.lookup(io.fabric8.kubernetes.api.model.apps.DeploymentSpec.class, "strategy").orElseThrow();
    assertTrue(strategy.retainsKeys());
    assertFalse(strategy.merges());
  }

  private static void assertKey(Class<?> model, String field, String key, String strategy) {
    PatchMetadata.Field f = PatchMetadata.lookup(model, field).orElseThrow(() -> new AssertionError(field));
    assertEquals(key, f.mergeKey(), field);
    assertEquals(strategy, f.strategy(), field);
    assertTrue(f.merges());
  }
}
