package io.capstan.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The annotations the Deployment controller keeps on Deployments and their ReplicaSets, as
 * upstream: the revision, the revisions a ReplicaSet had before a rollback to it, the desired and
 * maximum replica counts, and the Deployment's own annotations copied to its new ReplicaSet. All
 * methods change the map they are given and say whether they changed anything.
 */
final class Revisions {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  /** As upstream's MaxRevHistoryLengthInChars. */
  static final int MAX_HISTORY_CHARS = 2000;
  private static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration",
      REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

  private Revisions() {}

  /** The revision annotation as a number; 0 when absent or not a number. */
  static long of(HasMetadata object) {
    Map<String, String> a = object.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(REVISION);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static long max(Collection<ReplicaSet> sets) {
    return sets.stream().mapToLong(Revisions::of).max().orElse(0);
  }

  /**
   * Sets the annotations of the new ReplicaSet for revision {@code revision}: the Deployment's own
   * annotations, the revision (keeping the former one in the history when it rises, which means a
   * rollback to this ReplicaSet) and, for one about to be created, the replica annotations.
   */
  static boolean setNewReplicaSetAnnotations(Deployment d, Map<String, String> rs, long revision, boolean exists) {
    boolean changed = copyDeploymentAnnotations(d, rs);
    String former = rs.get(REVISION);
    long formerNumber = 0;
    if (former != null) {
      try {
        formerNumber = Long.parseLong(former.trim());
      } catch (NumberFormatException e) {
        return changed;
      }
    }
    if (formerNumber < revision) {
      rs.put(REVISION, Long.toString(revision));
      changed = true;
      if (former != null) {
        appendHistory(rs, former);
      }
    }
    if (!exists) {
      changed |= setReplicasAnnotations(rs, Replicas.desired(d), Replicas.desired(d) + Replicas.maxSurge(d));
    }
    return changed;
  }

  private static void appendHistory(Map<String, String> rs, String former) {
    String history = rs.get(REVISION_HISTORY);
    if (history == null || history.isEmpty()) {
      rs.put(REVISION_HISTORY, former);
      return;
    }
    List<String> entries = new ArrayList<>(Arrays.asList(history.split(",")));
    int length = history.length() + former.length() + 1;
    while (length > MAX_HISTORY_CHARS && !entries.isEmpty()) {
      length -= entries.remove(0).length() + 1;
    }
    if (length <= MAX_HISTORY_CHARS) {
      entries.add(former);
      rs.put(REVISION_HISTORY, String.join(",", entries));
    }
  }

  /** Copies the Deployment's annotations (but not the controller's own) onto a ReplicaSet's. */
  static boolean copyDeploymentAnnotations(Deployment d, Map<String, String> rs) {
    Map<String, String> from = d.getMetadata().getAnnotations();
    if (from == null) {
      return false;
    }
    boolean changed = false;
    for (Map.Entry<String, String> e : from.entrySet()) {
      if (NOT_COPIED.contains(e.getKey()) || Objects.equals(rs.get(e.getKey()), e.getValue())) {
        continue;
      }
      rs.put(e.getKey(), e.getValue());
      changed = true;
    }
    return changed;
  }

  /** Sets desired-replicas and max-replicas. */
  static boolean setReplicasAnnotations(Map<String, String> rs, int desired, int max) {
    boolean changed = !Objects.equals(rs.put(DESIRED_REPLICAS, Integer.toString(desired)), Integer.toString(desired));
    changed |= !Objects.equals(rs.put(MAX_REPLICAS, Integer.toString(max)), Integer.toString(max));
    return changed;
  }

  static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    Map<String, String> a = annotations(rs);
    return !Integer.toString(desired).equals(a.get(DESIRED_REPLICAS))
        || !Integer.toString(max).equals(a.get(MAX_REPLICAS));
  }

  /** The desired-replicas annotation, or null when absent or not a number. */
  static Integer desiredReplicas(ReplicaSet rs) {
    return number(annotations(rs).get(DESIRED_REPLICAS));
  }

  /** The max-replicas annotation, or null when absent or not a number. */
  static Integer maxReplicas(ReplicaSet rs) {
    return number(annotations(rs).get(MAX_REPLICAS));
  }

  /** A mutable copy of an object's annotations. */
  static Map<String, String> annotations(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? new LinkedHashMap<>() : new LinkedHashMap<>(a);
  }

  private static Integer number(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
