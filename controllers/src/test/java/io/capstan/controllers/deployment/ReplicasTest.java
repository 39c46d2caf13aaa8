package io.capstan.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class ReplicasTest {
  static Deployment rolling(int replicas, IntOrString surge, IntOrString unavailable) {
    return new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec().withReplicas(replicas)
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(surge)
        .withMaxUnavailable(unavailable).endRollingUpdate().endStrategy().endSpec().build();
  }

  @Test
  void surgeRoundsUpAndUnavailabilityDown() {
    Deployment d = rolling(10, new IntOrString("25%"), new IntOrString("25%"));
    assertEquals(3, Replicas.maxSurge(d));
    assertEquals(2, Replicas.maxUnavailable(d));
  }

  @Test
  void bothZeroMeansOneUnavailable() {
    Deployment d = rolling(3, new IntOrString("10%"), new IntOrString(0));
    assertEquals(1, Replicas.maxSurge(d), "10% of 3 rounds up to 1");
    assertEquals(0, Replicas.maxUnavailable(d));
    Deployment zero = rolling(3, new IntOrString(0), new IntOrString("10%"));
    assertEquals(0, Replicas.maxSurge(zero));
    assertEquals(1, Replicas.maxUnavailable(zero), "both resolve to 0, so one may be unavailable");
  }

  @Test
  void unavailabilityIsCappedByReplicasAndRecreateHasNeither() {
    assertEquals(2, Replicas.maxUnavailable(rolling(2, new IntOrString(1), new IntOrString(5))));
    Deployment recreate = new DeploymentBuilder(rolling(4, new IntOrString(1), new IntOrString(1))).editSpec()
        .withNewStrategy().withType("Recreate").endStrategy().endSpec().build();
    assertEquals(0, Replicas.maxSurge(recreate));
    assertEquals(0, Replicas.maxUnavailable(recreate));
  }
}
