package io.capstan.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Deployment's status from its ReplicaSets' statuses, as upstream's {@code calculateStatus}, and
 * the Available and Progressing conditions with upstream's types and reasons.
 */
final class DeploymentStatuses {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String MIN_AVAILABLE = "MinimumReplicasAvailable";
  static final String MIN_UNAVAILABLE = "MinimumReplicasUnavailable";
  static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  static final String RS_UPDATED = "ReplicaSetUpdated";
  static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  static final String TIMED_OUT = "ProgressDeadlineExceeded";
  static final String PAUSED = "DeploymentPaused";
  static final String RESUMED = "DeploymentResumed";

  private DeploymentStatuses() {}

  /** The counts of {@code all}, the conditions so far of {@code d}, and the Available condition. */
  static DeploymentStatus calculate(Deployment d, List<ReplicaSet> all, ReplicaSet newRs, Instant now) {
    int available = all.stream().mapToInt(Replicas::statusAvailable).sum();
    int total = Replicas.specSum(all);
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(Replicas.actualSum(all))
        .withUpdatedReplicas(newRs == null ? 0 : Replicas.statusReplicas(newRs))
        .withReadyReplicas(all.stream().mapToInt(Replicas::statusReady).sum())
        .withAvailableReplicas(available)
        .withUnavailableReplicas(Math.max(0, total - available))
        .withCollisionCount(d.getStatus() == null ? null : d.getStatus().getCollisionCount())
        .withConditions(d.getStatus() == null || d.getStatus().getConditions() == null
            ? new ArrayList<>() : new ArrayList<>(d.getStatus().getConditions()))
        .build();
    if (available >= Replicas.desired(d) - Replicas.maxUnavailable(d)) {
      set(status, condition(AVAILABLE, "True", MIN_AVAILABLE, "Deployment has minimum availability.", now));
    } else {
      set(status, condition(AVAILABLE, "False", MIN_UNAVAILABLE, "Deployment does not have minimum availability.", now));
    }
    return status;
  }

  static DeploymentCondition condition(String type, String status, String reason, String message, Instant now) {
    String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastUpdateTime(t).withLastTransitionTime(t).build();
  }

  static DeploymentCondition get(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /**
   * Sets {@code c}, as upstream's SetDeploymentCondition: nothing changes when the condition has
   * the same status and reason; the transition time is kept when only the reason changes.
   */
  static void set(DeploymentStatus status, DeploymentCondition c) {
    DeploymentCondition current = get(status, c.getType());
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())
        && Objects.equals(current.getReason(), c.getReason())) {
      return;
    }
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
      c.setLastTransitionTime(current.getLastTransitionTime());
    }
    remove(status, c.getType());
    status.getConditions().add(c);
  }

  static void remove(DeploymentStatus status, String type) {
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    List<DeploymentCondition> rest = new ArrayList<>(status.getConditions());
    rest.removeIf(c -> type.equals(c.getType()));
    status.setConditions(rest);
  }

  /** Whether {@code d} (with {@code status}) has finished rolling out: everything updated and available. */
  static boolean complete(Deployment d, DeploymentStatus status) {
    int desired = Replicas.desired(d);
    return n(status.getUpdatedReplicas()) == desired && n(status.getReplicas()) == desired
        && n(status.getAvailableReplicas()) == desired
        && n(status.getObservedGeneration()) >= n(d.getMetadata().getGeneration());
  }

  /** Whether {@code status} shows progress over {@code before}, as upstream's DeploymentProgressing. */
  static boolean progressing(DeploymentStatus before, DeploymentStatus status) {
    DeploymentStatus old = before == null ? new DeploymentStatus() : before;
    int oldOlds = n(old.getReplicas()) - n(old.getUpdatedReplicas());
    int newOlds = n(status.getReplicas()) - n(status.getUpdatedReplicas());
    return n(status.getUpdatedReplicas()) > n(old.getUpdatedReplicas()) || newOlds < oldOlds
        || n(status.getReadyReplicas()) > n(old.getReadyReplicas())
        || n(status.getAvailableReplicas()) > n(old.getAvailableReplicas());
  }

  /** Whether {@code current} already says what {@code desired} says (absent counts are zero). */
  static boolean same(DeploymentStatus current, DeploymentStatus desired) {
    if (current == null) {
      return false;
    }
    return n(current.getObservedGeneration()) == n(desired.getObservedGeneration())
        && n(current.getReplicas()) == n(desired.getReplicas())
        && n(current.getUpdatedReplicas()) == n(desired.getUpdatedReplicas())
        && n(current.getReadyReplicas()) == n(desired.getReadyReplicas())
        && n(current.getAvailableReplicas()) == n(desired.getAvailableReplicas())
        && n(current.getUnavailableReplicas()) == n(desired.getUnavailableReplicas())
        && Objects.equals(current.getCollisionCount(), desired.getCollisionCount())
        && Objects.equals(orEmpty(current.getConditions()), orEmpty(desired.getConditions()));
  }

  /** The JSON merge patch that sets {@code status}, naming every field so stale ones are cleared. */
  static Map<String, Object> patch(DeploymentStatus status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("observedGeneration", status.getObservedGeneration());
    s.put("replicas", n(status.getReplicas()));
    s.put("updatedReplicas", n(status.getUpdatedReplicas()));
    s.put("readyReplicas", n(status.getReadyReplicas()));
    s.put("availableReplicas", n(status.getAvailableReplicas()));
    s.put("unavailableReplicas", n(status.getUnavailableReplicas()));
    s.put("collisionCount", status.getCollisionCount());
    s.put("conditions", status.getConditions() == null || status.getConditions().isEmpty() ? null : status.getConditions());
    return Map.of("status", s);
  }

  static long n(Number value) {
    return value == null ? 0 : value.longValue();
  }

  private static int n(Integer value) {
    return value == null ? 0 : value;
  }

  private static List<DeploymentCondition> orEmpty(List<DeploymentCondition> list) {
    return list == null ? List.of() : list;
  }
}
