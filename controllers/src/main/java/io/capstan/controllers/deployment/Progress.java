package io.capstan.controllers.deployment;

import static io.capstan.controllers.deployment.DeploymentStatuses.PROGRESSING;

import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The Progressing condition and the status write at the end of a pass, as upstream's {@code
 * syncRolloutStatus}, {@code checkPausedConditions} and {@code requeueStuckDeployment}: a rollout
 * that makes no progress for {@code progressDeadlineSeconds} gets {@code Progressing=False,
 * ProgressDeadlineExceeded}; the pass asks to run again when the deadline would pass.
 */
final class Progress {
  private Progress() {}

  static boolean hasDeadline(Deployment d) {
    Integer s = d.getSpec().getProgressDeadlineSeconds();
    return s != null && s != Integer.MAX_VALUE;
  }

  /** Sets Progressing to Unknown with DeploymentPaused or DeploymentResumed when paused changed. */
  static void checkPaused(Deployment d, Instant now) {
    if (!hasDeadline(d)) {
      return;
    }
    DeploymentCondition c = DeploymentStatuses.get(d.getStatus(), PROGRESSING);
    boolean pausedShown = c != null && DeploymentStatuses.PAUSED.equals(c.getReason());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    if (paused && !pausedShown) {
      DeploymentStatuses.set(status(d), DeploymentStatuses.condition(PROGRESSING, "Unknown",
          DeploymentStatuses.PAUSED, "Deployment is paused", now));
    } else if (!paused && pausedShown) {
      DeploymentStatuses.set(status(d), DeploymentStatuses.condition(PROGRESSING, "Unknown",
          DeploymentStatuses.RESUMED, "Deployment is resumed", now));
    }
  }

  /** Writes the status of a pass that only scaled (paused or a scaling event). */
  static Result syncStatus(Rollout r) {
    DeploymentStatus status = DeploymentStatuses.calculate(r.d, r.all(), r.newRs, r.now);
    if (!DeploymentStatuses.same(r.observed, status)) {
      r.writes.writeStatus(r.d, status);
    }
    return Result.done();
  }

  /** Writes the status of a rollout pass, with the Progressing condition brought up to date. */
  static Result syncRolloutStatus(Rollout r) {
    Deployment d = r.d;
    DeploymentStatus status = DeploymentStatuses.calculate(d, r.all(), r.newRs, r.now);
    if (!hasDeadline(d)) {
      DeploymentStatuses.remove(status, PROGRESSING);
    }
    DeploymentCondition current = DeploymentStatuses.get(d.getStatus(), PROGRESSING);
    boolean complete = n(status.getReplicas()) == n(status.getUpdatedReplicas()) && current != null
        && DeploymentStatuses.NEW_RS_AVAILABLE.equals(current.getReason());
    String rsName = r.newRs == null ? "" : r.newRs.getMetadata().getName();
    if (hasDeadline(d) && !complete) {
      if (DeploymentStatuses.complete(d, status)) {
        DeploymentStatuses.set(status, DeploymentStatuses.condition(PROGRESSING, "True",
            DeploymentStatuses.NEW_RS_AVAILABLE, "ReplicaSet \"" + rsName + "\" has successfully progressed.", r.now));
      } else if (DeploymentStatuses.progressing(r.observed, status)) {
        DeploymentCondition c = DeploymentStatuses.condition(PROGRESSING, "True", DeploymentStatuses.RS_UPDATED,
            "ReplicaSet \"" + rsName + "\" is progressing.", r.now);
        if (current != null && "True".equals(current.getStatus())) {
          c.setLastTransitionTime(current.getLastTransitionTime());
        }
        DeploymentStatuses.remove(status, PROGRESSING);
        status.getConditions().add(c);
      } else if (timedOut(d, r.now)) {
        DeploymentStatuses.set(status, DeploymentStatuses.condition(PROGRESSING, "False",
            DeploymentStatuses.TIMED_OUT, "ReplicaSet \"" + rsName + "\" has timed out progressing.", r.now));
      }
    }
    if (!DeploymentStatuses.same(r.observed, status)) {
      r.writes.writeStatus(d, status);
    }
    return requeueIfStuck(d, status, r.now);
  }

  /** When to look again so that a stalled rollout is seen to exceed its deadline. */
  private static Result requeueIfStuck(Deployment d, DeploymentStatus status, Instant now) {
    DeploymentCondition c = DeploymentStatuses.get(status, PROGRESSING);
    if (!hasDeadline(d) || c == null || DeploymentStatuses.NEW_RS_AVAILABLE.equals(c.getReason())
        || DeploymentStatuses.TIMED_OUT.equals(c.getReason()) || DeploymentStatuses.complete(d, status)) {
      return Result.done();
    }
    Instant due = parse(c.getLastUpdateTime()).plusSeconds(d.getSpec().getProgressDeadlineSeconds());
    Duration after = Duration.between(now, due);
    return after.compareTo(Duration.ofSeconds(1)) < 0 ? Result.requeueAfter(Duration.ofSeconds(1))
        : Result.requeueAfter(after.plusSeconds(1));
  }

  private static boolean timedOut(Deployment d, Instant now) {
    DeploymentCondition c = DeploymentStatuses.get(d.getStatus(), PROGRESSING);
    if (c == null || DeploymentStatuses.NEW_RS_AVAILABLE.equals(c.getReason())) {
      return false;
    }
    if (DeploymentStatuses.TIMED_OUT.equals(c.getReason())) {
      return true;
    }
    return parse(c.getLastUpdateTime()).plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
  }

  private static DeploymentStatus status(Deployment d) {
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatus());
    }
    return d.getStatus();
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }

  private static Instant parse(String t) {
    try {
      return t == null ? Instant.EPOCH : Instant.parse(t);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
