package io.capstan.controllers.statefulset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulPodsTest {
  private static final StatefulSet SET = new StatefulSetBuilder()
      .withApiVersion("apps/v1").withKind("StatefulSet")
      .withNewMetadata().withNamespace("ns").withName("web").withUid("u1").endMetadata()
      .withNewSpec().withReplicas(2).withServiceName("svc")
      .withNewSelector().addToMatchLabels("app", "web").endSelector()
      .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
      .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer()
      .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
      .addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume().endSpec()
      .endTemplate()
      .addNewVolumeClaimTemplate().withNewMetadata().withName("data").addToLabels("tier", "db").endMetadata()
      .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().endVolumeClaimTemplate()
      .endSpec().build();

  private static Pod named(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  @Test
  void ordinalsAreParsedOnlyFromSetNameDashNumber() {
    assertEquals(0, StatefulPods.ordinal(SET, named("web-0")));
    assertEquals(12, StatefulPods.ordinal(SET, named("web-12")));
    for (String bad : List.of("web-", "web-01", "web-x", "webx-1", "web-1-2", "other-1")) {
      assertEquals(-1, StatefulPods.ordinal(SET, named(bad)), bad);
    }
  }

  @Test
  void aPodCarriesItsIdentityAndItsClaim() {
    Pod pod = StatefulPods.newPod(SET, SET.getSpec().getTemplate(), "web-abc", 1);
    assertEquals("web-1", pod.getMetadata().getName());
    assertEquals("web-1", pod.getMetadata().getLabels().get(StatefulPods.POD_NAME_LABEL));
    assertEquals("1", pod.getMetadata().getLabels().get(StatefulPods.POD_INDEX_LABEL));
    assertEquals("web-abc", pod.getMetadata().getLabels().get(StatefulPods.REVISION_LABEL));
    assertEquals("web-1", pod.getSpec().getHostname());
    assertEquals("svc", pod.getSpec().getSubdomain());
    assertEquals(List.of("cache", "data"), pod.getSpec().getVolumes().stream().map(v -> v.getName()).toList(),
        "the claim replaces the template volume of the same name");
    assertEquals("data-web-1", pod.getSpec().getVolumes().get(1).getPersistentVolumeClaim().getClaimName());
    assertTrue(StatefulPods.identityMatches(SET, pod, 1));
    assertFalse(StatefulPods.identityMatches(SET, pod, 2));
    assertEquals(2, SET.getSpec().getTemplate().getSpec().getVolumes().size(), "the cached set is not changed");
  }

  @Test
  void claimsAreNamedPerOrdinalAndLabelledWithTheSelector() {
    List<PersistentVolumeClaim> claims = StatefulPods.claims(SET, 3);
    assertEquals(1, claims.size());
    PersistentVolumeClaim c = claims.get(0);
    assertEquals("data-web-3", c.getMetadata().getName());
    assertEquals("ns", c.getMetadata().getNamespace());
    assertEquals("db", c.getMetadata().getLabels().get("tier"));
    assertEquals("web", c.getMetadata().getLabels().get("app"));
    assertEquals(List.of("ReadWriteOnce"), c.getSpec().getAccessModes());
  }
}
