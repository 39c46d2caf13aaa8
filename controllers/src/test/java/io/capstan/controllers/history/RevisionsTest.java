package io.capstan.controllers.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {
  private final KubernetesSerialization json = new KubernetesSerialization();

  private static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
  }

  @Test
  void dataIsAReplacingPatchOfTheTemplateAndRoundTrips() {
    Map<String, Object> data = Revisions.templateData(json, template("nginx:1"));
    @SuppressWarnings("unchecked")
    Map<String, Object> tpl = (Map<String, Object>) ((Map<String, Object>) data.get("spec")).get("template");
    assertEquals("replace", tpl.get("$patch"));
    // As read back from the API: Fabric8 reads data as a generic resource.
    ControllerRevision read = json.unmarshal(json.asJson(new ControllerRevision("apps/v1", data, "ControllerRevision",
        null, 1L)), ControllerRevision.class);
    assertEquals(template("nginx:1"), Revisions.template(json, read));
    assertTrue(Revisions.sameData(json, read.getData(), data));
    assertFalse(Revisions.sameData(json, read.getData(), Revisions.templateData(json, template("nginx:2"))));
  }

  @Test
  void theHashDependsOnDataAndCollisionCountAndIsSafeToSpell() {
    Object a = Revisions.templateData(json, template("nginx:1"));
    String h = Revisions.hash(json, a, 0);
    assertEquals(h, Revisions.hash(json, Revisions.templateData(json, template("nginx:1")), 0));
    assertNotEquals(h, Revisions.hash(json, a, 1));
    assertNotEquals(h, Revisions.hash(json, Revisions.templateData(json, template("nginx:2")), 0));
    assertTrue(h.matches("[bcdfghjklmnpqrstvwxz2456789]+"), h);
  }

  @Test
  void aNewRevisionIsNamedAfterItsParentAndControlledByIt() {
    var set = new StatefulSetBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("u1")
        .endMetadata().build();
    set.setApiVersion("apps/v1");
    set.setKind("StatefulSet");
    ControllerRevision r = Revisions.newRevision(set, Map.of("app", "web"), Map.of(), 3, "abc");
    assertEquals("web-abc", r.getMetadata().getName());
    assertEquals("ns", r.getMetadata().getNamespace());
    assertEquals(3L, r.getRevision());
    assertEquals("abc", r.getMetadata().getLabels().get(Revisions.HASH_LABEL));
    assertEquals("web", r.getMetadata().getLabels().get("app"));
    assertEquals("u1", r.getMetadata().getOwnerReferences().get(0).getUid());
    assertTrue(r.getMetadata().getOwnerReferences().get(0).getController());
  }
}
