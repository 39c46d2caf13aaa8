package io.capstan.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.util.Collection;

/**
 * Replica arithmetic of a Deployment, as upstream's deployment util: the surge and unavailability
 * allowances (maxSurge rounds percentages up, maxUnavailable down; both resolving to zero means
 * one unavailable) and sums over ReplicaSets.
 */
final class Replicas {
  static final String ROLLING_UPDATE = "RollingUpdate";
  static final String RECREATE = "Recreate";

  private Replicas() {}

  /** {@code spec.replicas}, 1 when unset. */
  static int desired(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : Math.max(0, r);
  }

  static int spec(ReplicaSet rs) {
    Integer r = rs.getSpec().getReplicas();
    return r == null ? 1 : Math.max(0, r);
  }

  static boolean isRollingUpdate(Deployment d) {
    return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
        || ROLLING_UPDATE.equals(d.getSpec().getStrategy().getType());
  }

  /** How many pods above {@code spec.replicas} a rolling update may run; 0 for Recreate. */
  static int maxSurge(Deployment d) {
    if (!isRollingUpdate(d)) {
      return 0;
    }
    return fenceposts(d)[0];
  }

  /** How many of {@code spec.replicas} may be unavailable during a rolling update; 0 for Recreate. */
  static int maxUnavailable(Deployment d) {
    int desired = desired(d);
    if (!isRollingUpdate(d) || desired == 0) {
      return 0;
    }
    return Math.min(fenceposts(d)[1], desired);
  }

  private static int[] fenceposts(Deployment d) {
    RollingUpdateDeployment ru = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    IntOrString surge = ru == null || ru.getMaxSurge() == null ? new IntOrString("25%") : ru.getMaxSurge();
    IntOrString unavailable = ru == null || ru.getMaxUnavailable() == null ? new IntOrString("25%") : ru.getMaxUnavailable();
    int desired = desired(d);
    int s = scaled(surge, desired, true);
    int u = scaled(unavailable, desired, false);
    if (s == 0 && u == 0) {
      u = 1;
    }
    return new int[] {s, u};
  }

  /** An int, or a percentage of {@code total} rounded up or down; garbage counts as 0. */
  static int scaled(IntOrString value, int total, boolean roundUp) {
    if (value.getIntVal() != null) {
      return Math.max(0, value.getIntVal());
    }
    String s = value.getStrVal() == null ? "" : value.getStrVal().trim();
    try {
      if (s.endsWith("%")) {
        double pct = Integer.parseInt(s.substring(0, s.length() - 1));
        double v = pct * total / 100.0;
        return Math.max(0, (int) (roundUp ? Math.ceil(v) : Math.floor(v)));
      }
      return Math.max(0, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The sum of {@code spec.replicas}. */
  static int specSum(Collection<ReplicaSet> sets) {
    return sets.stream().mapToInt(Replicas::spec).sum();
  }

  /** The sum of {@code status.replicas}. */
  static int actualSum(Collection<ReplicaSet> sets) {
    return sets.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReplicas() == null
        ? 0 : rs.getStatus().getReplicas()).sum();
  }

  static int statusReady(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
  }

  static int statusAvailable(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
        ? 0 : rs.getStatus().getAvailableReplicas();
  }

  static int statusReplicas(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
  }
}
