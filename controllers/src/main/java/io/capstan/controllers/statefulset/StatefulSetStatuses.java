package io.capstan.controllers.statefulset;

import io.capstan.controllers.pods.ActivePods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The status a StatefulSet should have, as upstream's {@code computeReplicaStatus}; pure. */
final class StatefulSetStatuses {
  private StatefulSetStatuses() {}

  /**
   * The status of {@code set} given the pods it owns and its current and update revisions:
   * replicas counts pods the API server has given a phase; ready and available count running,
   * ready pods (available once ready for minReadySeconds); current and updated count pods not
   * terminating by their revision label. A rolling update whose pods are all updated and ready is
   * complete: the update revision becomes the current one.
   */
  static StatefulSetStatus compute(StatefulSet set, List<Pod> pods, String currentRevision, String updateRevision,
      int collisionCount, Instant now) {
    int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    int replicas = 0;
    int ready = 0;
    int available = 0;
    int current = 0;
    int updated = 0;
    for (Pod pod : pods) {
      boolean created = pod.getStatus() != null && pod.getStatus().getPhase() != null
          && !pod.getStatus().getPhase().isEmpty();
      if (created) {
        replicas++;
      }
      if (ActivePods.isRunningAndReady(pod)) {
        ready++;
        if (ActivePods.isAvailable(pod, minReady, now)) {
          available++;
        }
      }
      if (created && !ActivePods.isTerminating(pod)) {
        String revision = StatefulPods.revision(pod);
        if (Objects.equals(revision, currentRevision)) {
          current++;
        }
        if (Objects.equals(revision, updateRevision)) {
          updated++;
        }
      }
    }
    if (isRollingUpdate(set) && updated == replicas && ready == replicas) {
      current = updated;
      currentRevision = updateRevision;
    }
    return new StatefulSetStatusBuilder()
        .withObservedGeneration(set.getMetadata().getGeneration())
        .withReplicas(replicas)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .withCurrentReplicas(current)
        .withUpdatedReplicas(updated)
        .withCurrentRevision(currentRevision)
        .withUpdateRevision(updateRevision)
        .withCollisionCount(collisionCount)
        .withConditions(set.getStatus() == null ? null : set.getStatus().getConditions())
        .build();
  }

  static boolean isRollingUpdate(StatefulSet set) {
    var strategy = set.getSpec().getUpdateStrategy();
    return strategy == null || strategy.getType() == null || "RollingUpdate".equals(strategy.getType());
  }

  /** Whether {@code current} already says what {@code desired} says (absent counts are zero). */
  static boolean same(StatefulSetStatus current, StatefulSetStatus desired) {
    if (current == null) {
      return false;
    }
    return patch(current).equals(patch(desired));
  }

  /** The JSON merge patch that sets {@code status}, naming every field it owns. */
  static Map<String, Object> patch(StatefulSetStatus status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("observedGeneration", status.getObservedGeneration());
    s.put("replicas", n(status.getReplicas()));
    s.put("readyReplicas", n(status.getReadyReplicas()));
    s.put("currentReplicas", n(status.getCurrentReplicas()));
    s.put("updatedReplicas", n(status.getUpdatedReplicas()));
    s.put("availableReplicas", n(status.getAvailableReplicas()));
    s.put("currentRevision", status.getCurrentRevision());
    s.put("updateRevision", status.getUpdateRevision());
    s.put("collisionCount", n(status.getCollisionCount()));
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("status", s);
    return patch;
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }
}
