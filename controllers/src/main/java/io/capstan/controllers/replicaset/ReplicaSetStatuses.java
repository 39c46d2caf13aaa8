package io.capstan.controllers.replicaset;

import io.capstan.controllers.meta.LabelSelectors;
import io.capstan.controllers.pods.ActivePods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The status a ReplicaSet should have, as upstream's {@code calculateStatus}; pure. */
final class ReplicaSetStatuses {
  static final String REPLICA_FAILURE = "ReplicaFailure";

  private ReplicaSetStatuses() {}

  /**
   * The status of {@code rs} given the active pods it owns. {@code failureReason} and {@code
   * failure} describe a create or delete that failed in this pass (null when none did): they set
   * the ReplicaFailure condition, which a pass without failure removes.
   */
  static ReplicaSetStatus compute(ReplicaSet rs, List<Pod> owned, String failureReason, String failure,
      Instant now) {
    Map<String, String> templateLabels = rs.getSpec().getTemplate().getMetadata() == null
        ? Map.of() : rs.getSpec().getTemplate().getMetadata().getLabels();
    int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod pod : owned) {
      if (LabelSelectors.containsAll(pod.getMetadata().getLabels(), templateLabels)) {
        fullyLabeled++;
      }
      if (ActivePods.isReady(pod)) {
        ready++;
        if (ActivePods.isAvailable(pod, minReady, now)) {
          available++;
        }
      }
    }
    List<ReplicaSetCondition> conditions = new ArrayList<>();
    ReplicaSetCondition existing = null;
    if (rs.getStatus() != null && rs.getStatus().getConditions() != null) {
      for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
        if (REPLICA_FAILURE.equals(c.getType())) {
          existing = c;
        } else {
          conditions.add(c);
        }
      }
    }
    if (failure != null) {
      // Keep the first failure's time, as upstream sets the condition only when it is missing.
      conditions.add(existing != null ? existing : new ReplicaSetConditionBuilder()
          .withType(REPLICA_FAILURE).withStatus("True").withReason(failureReason).withMessage(failure)
          .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString()).build());
    }
    return new ReplicaSetStatusBuilder()
        .withReplicas(owned.size())
        .withFullyLabeledReplicas(fullyLabeled)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .withObservedGeneration(rs.getMetadata().getGeneration())
        .withConditions(conditions.isEmpty() ? null : conditions)
        .build();
  }

  /** Whether {@code current} already says what {@code desired} says (absent counts are zero). */
  static boolean same(ReplicaSetStatus current, ReplicaSetStatus desired) {
    if (current == null) {
      return false;
    }
    return n(current.getReplicas()) == n(desired.getReplicas())
        && n(current.getFullyLabeledReplicas()) == n(desired.getFullyLabeledReplicas())
        && n(current.getReadyReplicas()) == n(desired.getReadyReplicas())
        && n(current.getAvailableReplicas()) == n(desired.getAvailableReplicas())
        && Objects.equals(current.getObservedGeneration(), desired.getObservedGeneration())
        && Objects.equals(orEmpty(current.getConditions()), orEmpty(desired.getConditions()));
  }

  /** The JSON merge patch that sets {@code status}, naming every field so stale ones are cleared. */
  static Map<String, Object> patch(ReplicaSetStatus status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("replicas", n(status.getReplicas()));
    s.put("fullyLabeledReplicas", n(status.getFullyLabeledReplicas()));
    s.put("readyReplicas", n(status.getReadyReplicas()));
    s.put("availableReplicas", n(status.getAvailableReplicas()));
    s.put("observedGeneration", status.getObservedGeneration());
    s.put("conditions", status.getConditions());
    return Map.of("status", s);
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }

  private static List<ReplicaSetCondition> orEmpty(List<ReplicaSetCondition> list) {
    return list == null ? List.of() : list;
  }
}
