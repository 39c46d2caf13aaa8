package io.capstan.controllers.deployment;

import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;

/**
 * The Recreate strategy, as upstream's recreate.go: scale every old ReplicaSet to zero, wait until
 * none of their pods is left (a pod counts until it is gone or has finished), and only then create
 * or scale up the new ReplicaSet. Old and new pods never run at once.
 */
final class Recreate {
  private Recreate() {}

  static Result rollout(Rollout r) {
    if (!Sync.findOrCreate(r, false)) {
      return Result.done();
    }
    boolean scaledDown = false;
    for (ReplicaSet old : List.copyOf(r.olds)) {
      if (Replicas.spec(old) > 0) {
        r.writes.scale(r, old, 0);
        scaledDown = true;
      }
    }
    if (scaledDown || Replicas.actualSum(r.olds) > 0 || r.oldPodsRunning()) {
      return Progress.syncRolloutStatus(r);
    }
    if (r.newRs == null && !Sync.findOrCreate(r, true)) {
      return Result.done();
    }
    if (Replicas.spec(r.newRs) != Replicas.desired(r.d)) {
      r.writes.scale(r, r.newRs, Replicas.desired(r.d));
    }
    if (DeploymentStatuses.complete(r.d, r.observed == null ? new DeploymentStatus() : r.observed)) {
      Sync.cleanup(r);
    }
    return Progress.syncRolloutStatus(r);
  }
}
