package io.capstan.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The Job condition types of batch/v1 and the helpers upstream's job controller uses on them. A
 * job is finished once it has {@code Complete} or {@code Failed} True; on the way there it first
 * gets the interim {@code SuccessCriteriaMet} or {@code FailureTarget} (as Kubernetes 1.32 does,
 * with JobPodReplacementPolicy on), so the terminal condition only appears once no pod of the job
 * is still terminating.
 */
final class JobConditions {
  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  static final String FAILURE_TARGET = "FailureTarget";
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String SUSPENDED = "Suspended";

  private JobConditions() {}

  /** Whether {@code job} has Complete or Failed True: nothing more happens to it. */
  static boolean isFinished(Job job) {
    return finishedAt(job).isPresent();
  }

  /** When {@code job} finished: its Complete or Failed condition's lastTransitionTime. */
  static Optional<Instant> finishedAt(Job job) {
    List<JobCondition> list = job.getStatus() == null ? null : job.getStatus().getConditions();
    if (list == null) {
      return Optional.empty();
    }
    return list.stream()
        .filter(c -> (COMPLETE.equals(c.getType()) || FAILED.equals(c.getType())) && "True".equals(c.getStatus()))
        .map(c -> parse(c.getLastTransitionTime())).findFirst();
  }

  /** The condition of {@code type} in {@code list}, if any. */
  static Optional<JobCondition> find(List<JobCondition> list, String type) {
    return list == null ? Optional.empty() : list.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Whether {@code list} has a condition of {@code type} with status True. */
  static boolean isTrue(List<JobCondition> list, String type) {
    return find(list, type).filter(c -> "True".equals(c.getStatus())).isPresent();
  }

  static JobCondition condition(String type, String status, String reason, String message, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return new JobConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastProbeTime(time).withLastTransitionTime(time).build();
  }

  /**
   * Sets the condition of {@code type} in {@code list} (mutable) as upstream's {@code
   * ensureJobConditionStatus}: replaces one that differs in status, reason or message, appends a
   * missing one unless its status is False. Returns whether {@code list} changed.
   */
  static boolean ensure(List<JobCondition> list, String type, String status, String reason, String message,
      Instant now) {
    for (int i = 0; i < list.size(); i++) {
      JobCondition c = list.get(i);
      if (type.equals(c.getType())) {
        if (status.equals(c.getStatus()) && eq(reason, c.getReason()) && eq(message, c.getMessage())) {
          return false;
        }
        list.set(i, condition(type, status, reason, message, now));
        return true;
      }
    }
    if ("False".equals(status)) {
      return false;
    }
    list.add(condition(type, status, reason, message, now));
    return true;
  }

  private static boolean eq(String a, String b) {
    return (a == null ? "" : a).equals(b == null ? "" : b);
  }

  private static Instant parse(String time) {
    try {
      return time == null ? Instant.EPOCH : Instant.parse(time);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
