package io.capstan.controllers.deployment;

import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The RollingUpdate strategy, as upstream's rolling.go: scale the new ReplicaSet up within
 * {@code replicas + maxSurge} pods, then scale old ones down (unhealthy replicas first, oldest
 * ReplicaSets first) without going below {@code replicas - maxUnavailable} available pods. Each
 * pass makes one kind of move and ends; the ReplicaSet and pod events bring the next pass.
 */
final class RollingUpdate {
  private RollingUpdate() {}

  static Result rollout(Rollout r) {
    if (!Sync.findOrCreate(r, true)) {
      return Result.done();
    }
    if (scaleUpNew(r) || scaleDownOld(r)) {
      return Progress.syncRolloutStatus(r);
    }
    if (DeploymentStatuses.complete(r.d, r.observed == null ? new DeploymentStatus() : r.observed)) {
      Sync.cleanup(r);
    }
    return Progress.syncRolloutStatus(r);
  }

  /**
   * The size the new ReplicaSet ({@code newRs}, null when about to be created) may have now: no
   * more than {@code replicas}, and the pods of all ReplicaSets within {@code replicas + maxSurge}.
   */
  static int newReplicas(Rollout r, ReplicaSet newRs) {
    int desired = Replicas.desired(r.d);
    int current = newRs == null ? 0 : Replicas.spec(newRs);
    int pods = r.all().stream().mapToInt(r::pods).sum();
    int ceiling = desired + Replicas.maxSurge(r.d);
    if (pods >= ceiling) {
      return current;
    }
    return current + Math.max(0, Math.min(ceiling - pods, desired - current));
  }

  private static boolean scaleUpNew(Rollout r) {
    ReplicaSet rs = r.newRs;
    int desired = Replicas.desired(r.d);
    if (Replicas.spec(rs) == desired) {
      return false;
    }
    int target = Replicas.spec(rs) > desired ? desired : newReplicas(r, rs);
    if (target == Replicas.spec(rs)) {
      return false;
    }
    r.writes.scale(r, rs, target);
    return true;
  }

  private static boolean scaleDownOld(Rollout r) {
    List<ReplicaSet> olds = new ArrayList<>(r.olds.stream().filter(rs -> Replicas.spec(rs) > 0).toList());
    if (olds.isEmpty()) {
      return false;
    }
    int minAvailable = Replicas.desired(r.d) - Replicas.maxUnavailable(r.d);
    int newUnavailable = Replicas.spec(r.newRs) - r.available(r.newRs);
    int maxScaledDown = Replicas.specSum(r.all()) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    olds.sort(Sync.OLDEST_FIRST);
    int cleaned = 0;
    for (ReplicaSet rs : olds) {
      if (cleaned >= maxScaledDown) {
        break;
      }
      int unhealthy = Replicas.spec(rs) - r.available(rs);
      if (unhealthy <= 0) {
        continue;
      }
      int down = Math.min(maxScaledDown - cleaned, unhealthy);
      r.writes.scale(r, rs, Replicas.spec(rs) - down);
      cleaned += down;
    }
    int available = r.available(r.all());
    int scaledDown = 0;
    if (available > minAvailable) {
      int total = available - minAvailable;
      List<ReplicaSet> current = new ArrayList<>(r.olds);
      current.sort(Sync.OLDEST_FIRST);
      for (ReplicaSet rs : current) {
        if (scaledDown >= total) {
          break;
        }
        if (Replicas.spec(rs) == 0) {
          continue;
        }
        int down = Math.min(Replicas.spec(rs), total - scaledDown);
        r.writes.scale(r, rs, Replicas.spec(rs) - down);
        scaledDown += down;
      }
    }
    return cleaned + scaledDown > 0;
  }
}
