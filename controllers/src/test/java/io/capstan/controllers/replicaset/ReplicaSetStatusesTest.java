package io.capstan.controllers.replicaset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetStatusesTest {
  static final Instant NOW = Instant.parse("2024-01-01T00:01:00Z");

  static ReplicaSet rs(int minReadySeconds, ReplicaSetStatus status) {
    return new ReplicaSetBuilder().withNewMetadata().withName("web").withGeneration(7L).endMetadata()
        .withNewSpec().withReplicas(3).withMinReadySeconds(minReadySeconds)
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").addToLabels("tier", "front").endMetadata()
        .endTemplate().endSpec().withStatus(status).build();
  }

  static Pod pod(boolean fullyLabeled, boolean ready, String readySince) {
    PodBuilder b = new PodBuilder().withNewMetadata().addToLabels("app", "web").endMetadata();
    if (fullyLabeled) {
      b.editMetadata().addToLabels("tier", "front").endMetadata();
    }
    return b.withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .withLastTransitionTime(readySince).endCondition().endStatus().build();
  }

  @Test
  void countsReplicasLabelsReadinessAndAvailability() {
    List<Pod> owned = List.of(pod(true, true, "2024-01-01T00:00:00Z"), pod(true, true, "2024-01-01T00:00:50Z"),
        pod(false, false, null));
    ReplicaSetStatus s = ReplicaSetStatuses.compute(rs(30, null), owned, "FailedCreate", null, NOW);
    assertEquals(3, s.getReplicas());
    assertEquals(2, s.getFullyLabeledReplicas());
    assertEquals(2, s.getReadyReplicas());
    assertEquals(1, s.getAvailableReplicas(), "one became ready only 10 s ago");
    assertEquals(7L, s.getObservedGeneration());
    assertNull(s.getConditions());
  }

  @Test
  void aFailedCreateSetsReplicaFailureUntilAPassSucceeds() {
    ReplicaSetStatus failed = ReplicaSetStatuses.compute(rs(0, null), List.of(), "FailedCreate", "quota", NOW);
    assertEquals(1, failed.getConditions().size());
    assertEquals("ReplicaFailure", failed.getConditions().get(0).getType());
    assertEquals("FailedCreate", failed.getConditions().get(0).getReason());
    assertEquals("quota", failed.getConditions().get(0).getMessage());

    ReplicaSetStatus again = ReplicaSetStatuses.compute(rs(0, failed), List.of(), "FailedCreate", "other", NOW.plusSeconds(9));
    assertTrue(ReplicaSetStatuses.same(failed, again), "the first failure is kept");

    ReplicaSetStatus healed = ReplicaSetStatuses.compute(rs(0, failed), List.of(), "FailedCreate", null, NOW);
    assertNull(healed.getConditions());
    assertFalse(ReplicaSetStatuses.same(failed, healed));
    String patch = new KubernetesSerialization().asJson(ReplicaSetStatuses.patch(healed));
    assertTrue(patch.contains("\"conditions\":null"), "the merge patch clears the condition: " + patch);
  }

  @Test
  void absentCountsEqualZero() {
    ReplicaSetStatus computed = ReplicaSetStatuses.compute(rs(0, null), List.of(), "FailedCreate", null, NOW);
    ReplicaSetStatus stored = new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder()
        .withReplicas(0).withObservedGeneration(7L).build();
    assertTrue(ReplicaSetStatuses.same(stored, computed));
    assertFalse(ReplicaSetStatuses.same(null, computed));
  }
}
