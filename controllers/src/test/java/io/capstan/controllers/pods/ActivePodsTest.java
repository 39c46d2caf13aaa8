package io.capstan.controllers.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivePodsTest {
  static Pod pod(String name, String node, String phase, boolean ready, String readySince, String created) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
        .withNewSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase(phase)
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").withLastTransitionTime(readySince).endCondition()
        .endStatus().build();
  }

  @Test
  void surplusPodsAreDeletedUnscheduledFirstThenNotReadyThenNewest() {
    Pod runningOld = pod("running-old", "n1", "Running", true, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z");
    Pod runningRecent = pod("running-recent", "n1", "Running", true, "2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z");
    Pod notReady = pod("not-ready", "n1", "Running", false, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z");
    Pod pendingOnNode = pod("pending-on-node", "n1", "Pending", false, null, "2024-01-01T00:00:00Z");
    Pod unscheduledOld = pod("unscheduled-old", null, "Pending", false, null, "2024-01-01T00:00:00Z");
    Pod unscheduledNew = pod("unscheduled-new", null, "Pending", false, null, "2024-01-03T00:00:00Z");
    List<String> order = List.of(runningOld, notReady, unscheduledOld, runningRecent, pendingOnNode, unscheduledNew)
        .stream().sorted(ActivePods.DELETE_FIRST).map(p -> p.getMetadata().getName()).toList();
    assertEquals(List.of("unscheduled-new", "unscheduled-old", "pending-on-node", "not-ready", "running-recent",
        "running-old"), order);
  }

  @Test
  void availableMeansReadyForMinReadySeconds() {
    Pod p = pod("p", "n1", "Running", true, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z");
    assertTrue(ActivePods.isAvailable(p, 0, Instant.parse("2024-01-01T00:00:00Z")));
    assertFalse(ActivePods.isAvailable(p, 10, Instant.parse("2024-01-01T00:00:09Z")));
    assertTrue(ActivePods.isAvailable(p, 10, Instant.parse("2024-01-01T00:00:10Z")));
    assertFalse(ActivePods.isAvailable(pod("q", null, "Pending", false, null, null), 0, Instant.now()));
  }

  @Test
  void finishedAndTerminatingPodsAreNotActive() {
    assertTrue(ActivePods.isActive(pod("p", null, "Pending", false, null, null)));
    assertFalse(ActivePods.isActive(pod("p", "n", "Succeeded", false, null, null)));
    assertFalse(ActivePods.isActive(pod("p", "n", "Failed", false, null, null)));
    Pod terminating = new PodBuilder(pod("p", "n", "Running", true, null, null))
        .editMetadata().withDeletionTimestamp("2024-01-01T00:00:00Z").endMetadata().build();
    assertFalse(ActivePods.isActive(terminating));
  }
}
