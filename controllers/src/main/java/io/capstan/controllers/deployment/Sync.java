package io.capstan.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a pass every strategy shares, as upstream's sync.go: find (or create) the new
 * ReplicaSet and bring revisions up to date; proportional scaling when {@code spec.replicas}
 * changes (also while paused); and deleting old ReplicaSets beyond {@code revisionHistoryLimit}.
 */
final class Sync {
  static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator
      .comparing((ReplicaSet rs) -> String.valueOf(rs.getMetadata().getCreationTimestamp()))
      .thenComparing(rs -> rs.getMetadata().getName());

  private Sync() {}

  /**
   * Sets {@code r.newRs} and {@code r.olds}; with {@code create}, creates the new ReplicaSet when
   * there is none. Once per pass (a second call only creates what the first did not). Returns false when a hash collision was recorded and the pass should end.
   */
  static boolean findOrCreate(Rollout r, boolean create) {
    if (r.resolved && (r.newRs != null || !create)) {
      return true;
    }
    r.resolved = true;
    Deployment d = r.d;
    ReplicaSet found = NewReplicaSets.find(d, r.sets).orElse(null);
    r.olds = new ArrayList<>(r.sets.stream().filter(rs -> rs != found).toList());
    long revision = Revisions.max(r.olds) + 1;
    if (found != null) {
      r.newRs = found;
      Map<String, String> annotations = Revisions.annotations(found);
      boolean changed = Revisions.setNewReplicaSetAnnotations(d, annotations, revision, true);
      Integer minReady = found.getSpec().getMinReadySeconds();
      if (changed || (minReady == null ? 0 : minReady) != r.minReadySeconds()) {
        r.writes.annotate(r, found, annotations, r.minReadySeconds());
      }
      setRevision(r, annotations.get(Revisions.REVISION));
      if (Progress.hasDeadline(d) && DeploymentStatuses.get(d.getStatus(), DeploymentStatuses.PROGRESSING) == null) {
        DeploymentStatuses.set(status(d), DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "True",
            DeploymentStatuses.FOUND_NEW_RS, "Found new replica set \"" + found.getMetadata().getName() + "\"", r.now));
      }
      return true;
    }
    if (!create) {
      return true;
    }
    int replicas = Replicas.isRollingUpdate(d) ? RollingUpdate.newReplicas(r, null) : Replicas.desired(d);
    ReplicaSet created = NewReplicaSets.create(r, revision, replicas);
    if (created == null) {
      return false;
    }
    r.newRs = created;
    if (Progress.hasDeadline(d)) {
      DeploymentStatuses.set(status(d), DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "True",
          DeploymentStatuses.NEW_RS_CREATED, "Created new replica set \"" + created.getMetadata().getName() + "\"",
          r.now));
    }
    setRevision(r, Long.toString(revision));
    return true;
  }

  /** Whether {@code spec.replicas} differs from what an active ReplicaSet was last sized for. */
  static boolean isScalingEvent(Rollout r) {
    int desired = Replicas.desired(r.d);
    return r.all().stream().filter(rs -> Replicas.spec(rs) > 0).map(Revisions::desiredReplicas)
        .anyMatch(v -> v != null && v != desired);
  }

  /** Brings the ReplicaSets' sizes to {@code spec.replicas}, proportionally during a rolling update. */
  static void scale(Rollout r) {
    Deployment d = r.d;
    int desired = Replicas.desired(d);
    List<ReplicaSet> active = r.all().stream().filter(rs -> Replicas.spec(rs) > 0).toList();
    ReplicaSet only = active.size() == 1 ? active.get(0)
        : active.isEmpty() ? (r.newRs != null ? r.newRs : r.olds.stream().max(OLDEST_FIRST).orElse(null)) : null;
    if (only != null) {
      if (Replicas.spec(only) != desired) {
        r.writes.scale(r, only, desired);
      }
      return;
    }
    if (active.isEmpty()) {
      return;
    }
    if (saturated(r)) {
      for (ReplicaSet old : List.copyOf(r.olds)) {
        if (Replicas.spec(old) > 0) {
          r.writes.scale(r, old, 0);
        }
      }
      return;
    }
    if (!Replicas.isRollingUpdate(d)) {
      return;
    }
    int allowed = desired > 0 ? desired + Replicas.maxSurge(d) : 0;
    int toAdd = allowed - Replicas.specSum(active);
    List<ReplicaSet> order = new ArrayList<>(active);
    Comparator<ReplicaSet> bySize = Comparator.comparingInt(Replicas::spec).reversed();
    order.sort(toAdd > 0 ? bySize.thenComparing(OLDEST_FIRST.reversed()) : bySize.thenComparing(OLDEST_FIRST));
    Map<String, Integer> sizes = new HashMap<>();
    int added = 0;
    for (ReplicaSet rs : order) {
      int proportion = proportion(r, rs, toAdd, added);
      sizes.put(rs.getMetadata().getUid(), Replicas.spec(rs) + proportion);
      added += proportion;
    }
    for (int i = 0; i < order.size(); i++) {
      ReplicaSet rs = order.get(i);
      int size = sizes.get(rs.getMetadata().getUid());
      if (i == 0 && toAdd != 0) {
        size = Math.max(0, size + toAdd - added);
      }
      r.writes.scale(r, rs, size);
    }
  }

  private static int proportion(Rollout r, ReplicaSet rs, int toAdd, int added) {
    if (Replicas.spec(rs) == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(r, rs);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  private static int fraction(Rollout r, ReplicaSet rs) {
    int desired = Replicas.desired(r.d);
    if (desired == 0) {
      return -Replicas.spec(rs);
    }
    int target = desired + Replicas.maxSurge(r.d);
    Integer annotated = Revisions.maxReplicas(rs);
    int was = annotated != null ? annotated : (int) DeploymentStatuses.n(r.observed == null ? null : r.observed.getReplicas());
    if (was <= 0) {
      return 0;
    }
    return (int) Math.round((double) Replicas.spec(rs) * target / was) - Replicas.spec(rs);
  }

  private static boolean saturated(Rollout r) {
    ReplicaSet rs = r.newRs;
    int desired = Replicas.desired(r.d);
    return rs != null && Objects.equals(Revisions.desiredReplicas(rs), desired) && Replicas.spec(rs) == desired
        && r.available(rs) == desired;
  }

  /** Deletes the oldest old ReplicaSets beyond revisionHistoryLimit that have no replicas left. */
  static void cleanup(Rollout r) {
    Integer limit = r.d.getSpec().getRevisionHistoryLimit();
    if (limit == null) {
      return;
    }
    List<ReplicaSet> cleanable = new ArrayList<>(r.olds.stream()
        .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
    int surplus = cleanable.size() - limit;
    if (surplus <= 0) {
      return;
    }
    cleanable.sort(Comparator.<ReplicaSet>comparingLong(Revisions::of).thenComparing(OLDEST_FIRST));
    for (ReplicaSet rs : cleanable.subList(0, surplus)) {
      long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
          ? 0 : rs.getStatus().getObservedGeneration();
      long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
      if (Replicas.statusReplicas(rs) != 0 || Replicas.spec(rs) != 0 || generation > observed
          || !r.podsOf(rs).isEmpty()) {
        continue;
      }
      r.writes.delete(rs);
    }
  }

  private static void setRevision(Rollout r, String revision) {
    Map<String, String> a = r.d.getMetadata().getAnnotations();
    if (revision != null && (a == null || !revision.equals(a.get(Revisions.REVISION)))) {
      r.writes.setDeploymentRevision(r.d, revision);
    }
  }

  private static DeploymentStatus status(Deployment d) {
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatus());
    }
    if (d.getStatus().getConditions() == null) {
      d.getStatus().setConditions(new ArrayList<>());
    }
    return d.getStatus();
  }
}
