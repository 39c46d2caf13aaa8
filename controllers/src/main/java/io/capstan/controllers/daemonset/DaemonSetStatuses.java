package io.capstan.controllers.daemonset;

import io.capstan.controllers.pods.ActivePods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The status a DaemonSet should have, as upstream's {@code updateDaemonSetStatus}; pure. */
final class DaemonSetStatuses {
  private DaemonSetStatuses() {}

  /**
   * Per node that should run the pod: desired; with a (non-terminating) daemon pod, current, and
   * its oldest pod counted ready, available and updated as it is. Nodes that should not run it
   * but have one count as misscheduled; unavailable is desired minus available.
   */
  static DaemonSetStatus compute(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> podsByNode, String hash,
      int collisionCount, Instant now) {
    PodSpec spec = DaemonPods.specWithTolerations(ds);
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    int desired = 0;
    int scheduled = 0;
    int misscheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    for (Node node : nodes) {
      boolean shouldRun = NodeEligibility.of(node, spec).shouldRun();
      List<Pod> pods = podsByNode.getOrDefault(node.getMetadata().getName(), List.of()).stream()
          .filter(p -> !ActivePods.isTerminating(p)).sorted(DaemonSetPlan.OLDEST_FIRST).toList();
      if (!shouldRun) {
        if (!pods.isEmpty()) {
          misscheduled++;
        }
        continue;
      }
      desired++;
      if (pods.isEmpty()) {
        continue;
      }
      scheduled++;
      Pod pod = pods.get(0);
      if (ActivePods.isReady(pod)) {
        ready++;
        if (ActivePods.isAvailable(pod, minReady, now)) {
          available++;
        }
      }
      if (DaemonPods.isUpdated(pod, hash)) {
        updated++;
      }
    }
    return new DaemonSetStatusBuilder()
        .withObservedGeneration(ds.getMetadata().getGeneration())
        .withDesiredNumberScheduled(desired)
        .withCurrentNumberScheduled(scheduled)
        .withNumberMisscheduled(misscheduled)
        .withNumberReady(ready)
        .withNumberAvailable(available)
        .withNumberUnavailable(desired - available)
        .withUpdatedNumberScheduled(updated)
        .withCollisionCount(collisionCount)
        .build();
  }

  /** Whether {@code current} already says what {@code desired} says (absent counts are zero). */
  static boolean same(DaemonSetStatus current, DaemonSetStatus desired) {
    return current != null && patch(current).equals(patch(desired));
  }

  /** The JSON merge patch that sets {@code status}, naming every field it owns. */
  static Map<String, Object> patch(DaemonSetStatus status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("observedGeneration", status.getObservedGeneration());
    s.put("desiredNumberScheduled", n(status.getDesiredNumberScheduled()));
    s.put("currentNumberScheduled", n(status.getCurrentNumberScheduled()));
    s.put("numberMisscheduled", n(status.getNumberMisscheduled()));
    s.put("numberReady", n(status.getNumberReady()));
    s.put("numberAvailable", n(status.getNumberAvailable()));
    s.put("numberUnavailable", n(status.getNumberUnavailable()));
    s.put("updatedNumberScheduled", n(status.getUpdatedNumberScheduled()));
    s.put("collisionCount", n(status.getCollisionCount()));
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("status", s);
    return patch;
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }
}
