package io.capstan.controllers.cronjob;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The status a CronJob pass edits: a private copy of the cached one. */
final class CronJobState {
  final List<ObjectReference> active = new ArrayList<>();
  String lastScheduleTime;
  String lastSuccessfulTime;

  static CronJobState of(CronJob cj) {
    CronJobState s = new CronJobState();
    CronJobStatus status = cj.getStatus();
    if (status != null) {
      if (status.getActive() != null) {
        status.getActive().forEach(r -> s.active.add(new ObjectReferenceBuilder(r).build()));
      }
      s.lastScheduleTime = normalize(status.getLastScheduleTime());
      s.lastSuccessfulTime = normalize(status.getLastSuccessfulTime());
    }
    return s;
  }

  boolean isActive(String uid) {
    return active.stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  boolean sameAs(CronJobState other) {
    return active.equals(other.active) && Objects.equals(lastScheduleTime, other.lastScheduleTime)
        && Objects.equals(lastSuccessfulTime, other.lastSuccessfulTime);
  }

  /** Timestamps as {@link Instant#toString()} writes them, so they compare as text. */
  private static String normalize(String t) {
    try {
      return t == null ? null : Instant.parse(t).toString();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
