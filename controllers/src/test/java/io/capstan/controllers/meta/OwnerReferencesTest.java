package io.capstan.controllers.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnerReferencesTest {
  @Test
  void theControllerReferenceIsTheOneMarkedController() {
    OwnerReference plain = new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("c").withUid("1").build();
    OwnerReference ctl = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("r")
        .withUid("2").withController(true).build();
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withOwnerReferences(plain, ctl).endMetadata().build();
    assertEquals(ctl, OwnerReferences.controllerOf(pod).orElseThrow());
    assertTrue(OwnerReferences.refersTo(ctl, "apps", "ReplicaSet"));
    assertFalse(OwnerReferences.refersTo(ctl, "", "ReplicaSet"));
    assertTrue(OwnerReferences.controllerOf(new PodBuilder().withNewMetadata().endMetadata().build()).isEmpty());
  }

  @Test
  void aControllerReferenceNamesTheOwnerAndBlocksItsDeletion() {
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web").withUid("u1").endMetadata().build();
    OwnerReference ref = OwnerReferences.controllerReference(rs);
    assertEquals("apps/v1", ref.getApiVersion());
    assertEquals("ReplicaSet", ref.getKind());
    assertEquals("web", ref.getName());
    assertEquals("u1", ref.getUid());
    assertTrue(ref.getController());
    assertTrue(ref.getBlockOwnerDeletion());
  }

  @Test
  void adoptingIsConditionalOnTheObjectAsReadAndReleasingOnItsUid() {
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web").withUid("u1").endMetadata().build();
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withUid("p1").withResourceVersion("42").endMetadata().build();
    Map<String, Object> adopt = OwnerReferences.adoptPatch(OwnerReferences.controllerReference(rs), pod);
    assertEquals(Map.of("ownerReferences", List.of(Map.of("apiVersion", "apps/v1", "kind", "ReplicaSet", "name", "web",
        "uid", "u1", "controller", true, "blockOwnerDeletion", true)), "uid", "p1", "resourceVersion", "42"),
        adopt.get("metadata"));
    Map<String, Object> release = OwnerReferences.releasePatch("u1", "p1");
    assertEquals(Map.of("ownerReferences", List.of(Map.of("$patch", "delete", "uid", "u1")), "uid", "p1"),
        release.get("metadata"));
  }
}
