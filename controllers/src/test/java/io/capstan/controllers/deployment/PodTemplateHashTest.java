package io.capstan.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").addToLabels("tier", "front")
        .endMetadata().withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
  }

  @Test
  void stableAcrossLabelOrderAndChangingWithTheTemplate() {
    PodTemplateSpec reordered = new PodTemplateSpecBuilder(template("nginx:1")).editMetadata().withLabels(null)
        .addToLabels("tier", "front").addToLabels("app", "web").endMetadata().build();
    assertEquals(PodTemplateHash.of(template("nginx:1"), null), PodTemplateHash.of(reordered, null));
    assertNotEquals(PodTemplateHash.of(template("nginx:1"), null), PodTemplateHash.of(template("nginx:2"), null));
    assertNotEquals(PodTemplateHash.of(template("nginx:1"), null), PodTemplateHash.of(template("nginx:1"), 1));
    assertEquals(PodTemplateHash.of(template("nginx:1"), null), PodTemplateHash.of(template("nginx:1"), 0));
  }

  @Test
  void usesOnlyTheSafeAlphabet() {
    for (int i = 0; i < 50; i++) {
      String hash = PodTemplateHash.of(template("nginx:" + i), null);
      assertTrue(hash.matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}"), hash);
    }
  }

  @Test
  void equalityIgnoresOnlyTheHashLabel() {
    PodTemplateSpec t = template("nginx:1");
    PodTemplateSpec hashed = PodTemplateHash.withHash(t, "abc");
    assertEquals("abc", hashed.getMetadata().getLabels().get(PodTemplateHash.LABEL));
    assertFalse(t.getMetadata().getLabels().containsKey(PodTemplateHash.LABEL), "the original is not changed");
    assertTrue(PodTemplateHash.equalIgnoringHash(t, hashed));
    assertFalse(PodTemplateHash.equalIgnoringHash(template("nginx:2"), hashed));
  }
}
