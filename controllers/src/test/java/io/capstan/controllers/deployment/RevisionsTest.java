package io.capstan.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {
  static Deployment deployment() {
    return new DeploymentBuilder().withNewMetadata().withName("d")
        .addToAnnotations("kubernetes.io/change-cause", "why")
        .addToAnnotations(Revisions.REVISION, "7")
        .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}").endMetadata()
        .withNewSpec().withReplicas(4).endSpec().build();
  }

  @Test
  void aNewReplicaSetGetsTheRevisionReplicasAndChangeCause() {
    Map<String, String> rs = new HashMap<>();
    assertTrue(Revisions.setNewReplicaSetAnnotations(deployment(), rs, 3, false));
    assertEquals("3", rs.get(Revisions.REVISION));
    assertEquals("why", rs.get("kubernetes.io/change-cause"));
    assertEquals("4", rs.get(Revisions.DESIRED_REPLICAS));
    assertEquals("5", rs.get(Revisions.MAX_REPLICAS), "4 + 25% surge rounded up");
    assertFalse(rs.containsKey("kubectl.kubernetes.io/last-applied-configuration"));
    assertNull(rs.get(Revisions.REVISION_HISTORY));
  }

  @Test
  void aRollbackKeepsTheFormerRevisionsInTheHistory() {
    Map<String, String> rs = new HashMap<>(Map.of(Revisions.REVISION, "1"));
    Revisions.setNewReplicaSetAnnotations(deployment(), rs, 3, true);
    assertEquals("3", rs.get(Revisions.REVISION));
    assertEquals("1", rs.get(Revisions.REVISION_HISTORY));
    Revisions.setNewReplicaSetAnnotations(deployment(), rs, 5, true);
    assertEquals("1,3", rs.get(Revisions.REVISION_HISTORY));
    assertFalse(Revisions.setNewReplicaSetAnnotations(deployment(), rs, 5, true), "nothing to change");
    assertNull(rs.get(Revisions.DESIRED_REPLICAS), "an existing ReplicaSet's replica annotations are left to scaling");
  }
}
