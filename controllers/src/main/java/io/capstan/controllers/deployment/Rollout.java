package io.capstan.controllers.deployment;

import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state of one pass over one Deployment: a private copy of the Deployment (status changes
 * collect in it), the ReplicaSets it owns, their pods from the cache, the time, and the writer.
 * {@link Sync#findOrCreate} fills {@link #newRs} and {@link #olds}.
 *
 * <p>Besides ReplicaSet statuses, the rollout reads pods directly, so a lagging ReplicaSet status
 * never lets it go below the availability floor or above the surge ceiling: a ReplicaSet counts
 * {@linkplain #available as available} at most its available pods and at most its spec, and
 * {@linkplain #pods as running} at least its spec and at least its active pods.
 */
final class Rollout {
  final Request key;
  final Deployment d;
  final DeploymentStatus observed;
  final List<ReplicaSet> sets;
  final ReplicaSetWrites writes;
  final Instant now;
  private final Map<String, List<Pod>> podsByOwner;
  ReplicaSet newRs;
  /** Whether {@link Sync#findOrCreate} has run in this pass. */
  boolean resolved;
  List<ReplicaSet> olds = new ArrayList<>();

  Rollout(Request key, Deployment d, DeploymentStatus observed, List<ReplicaSet> sets,
      Map<String, List<Pod>> podsByOwner, ReplicaSetWrites writes, Instant now) {
    this.key = key;
    this.d = d;
    this.observed = observed;
    this.sets = sets;
    this.podsByOwner = podsByOwner;
    this.writes = writes;
    this.now = now;
  }

  /** The new ReplicaSet (if any) and the old ones, newest state. */
  List<ReplicaSet> all() {
    List<ReplicaSet> all = new ArrayList<>(olds);
    if (newRs != null) {
      all.add(newRs);
    }
    return all;
  }

  int minReadySeconds() {
    Integer m = d.getSpec().getMinReadySeconds();
    return m == null ? 0 : m;
  }

  /** Pods of {@code rs} in the cache, including terminating ones. */
  List<Pod> podsOf(ReplicaSet rs) {
    return podsByOwner.getOrDefault(rs.getMetadata().getUid(), List.of());
  }

  /** Whether a pod not owned by the new ReplicaSet and not finished exists. */
  boolean oldPodsRunning() {
    String newUid = newRs == null ? null : newRs.getMetadata().getUid();
    return podsByOwner.entrySet().stream().filter(e -> !e.getKey().equals(newUid))
        .flatMap(e -> e.getValue().stream())
        .anyMatch(p -> p.getStatus() == null || (!"Succeeded".equals(p.getStatus().getPhase())
            && !"Failed".equals(p.getStatus().getPhase())));
  }

  /** Available replicas of {@code rs}, counted conservatively (see the class comment). */
  int available(ReplicaSet rs) {
    long pods = podsOf(rs).stream().filter(ActivePods::isActive)
        .filter(p -> ActivePods.isAvailable(p, minReadySeconds(), now)).count();
    return (int) Math.min(pods, Replicas.spec(rs));
  }

  int available(List<ReplicaSet> sets) {
    return sets.stream().mapToInt(this::available).sum();
  }

  /** Running replicas of {@code rs}, counted generously (see the class comment). */
  int pods(ReplicaSet rs) {
    long active = podsOf(rs).stream().filter(ActivePods::isActive).count();
    return (int) Math.max(active, Replicas.spec(rs));
  }

  /** Replaces {@code before} by {@code after} in this pass's lists. */
  void replaced(ReplicaSet before, ReplicaSet after) {
    if (newRs != null && newRs.getMetadata().getUid().equals(before.getMetadata().getUid())) {
      newRs = after;
    }
    olds.replaceAll(rs -> rs.getMetadata().getUid().equals(before.getMetadata().getUid()) ? after : rs);
  }
}
