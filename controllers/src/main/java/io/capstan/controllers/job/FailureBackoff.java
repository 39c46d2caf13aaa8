package io.capstan.controllers.job;

import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The delay before a job replaces failed pods, as upstream's pod-failure backoff store: after n
 * failures since the last success, new pods wait {@code base * 2^(n-1)} (at most {@code max})
 * from the last failure. Upstream uses 10 s and 10 min. Kept in memory, per job.
 */
final class FailureBackoff {
  /** Failures since the last success, and when the last of them ended. */
  record Record(int failures, Instant lastFailure) {
    static final Record NONE = new Record(0, Instant.MIN);
  }

  private final Clock clock;
  private final Duration base;
  private final Duration max;
  private final Map<Request, Record> records = new ConcurrentHashMap<>();

  FailureBackoff(Clock clock, Duration base, Duration max) {
    this.clock = clock;
    this.base = base;
    this.max = max;
  }

  /** The record of {@code job} once the newly finished pods are taken into account. */
  Record next(Request job, List<Pod> newSucceeded, List<Pod> newFailed) {
    Record current = records.getOrDefault(job, Record.NONE);
    if (newSucceeded.isEmpty() && newFailed.isEmpty()) {
      return current;
    }
    Instant now = clock.instant();
    Instant lastSuccess = newSucceeded.stream().map(p -> JobPods.finishTime(p, now)).max(Instant::compareTo)
        .orElse(Instant.MIN);
    Instant lastFailure = newFailed.stream().map(p -> JobPods.finishTime(p, now)).max(Instant::compareTo)
        .orElse(Instant.MIN);
    if (!newSucceeded.isEmpty() && !lastSuccess.isBefore(lastFailure)) {
      return Record.NONE;
    }
    if (newSucceeded.isEmpty()) {
      Instant last = lastFailure.isAfter(current.lastFailure()) ? lastFailure : current.lastFailure();
      return new Record(current.failures() + newFailed.size(), last);
    }
    long after = newFailed.stream().filter(p -> JobPods.finishTime(p, now).isAfter(lastSuccess)).count();
    return new Record((int) after, lastFailure);
  }

  void store(Request job, Record record) {
    if (record.failures() == 0) {
      records.remove(job);
    } else {
      records.put(job, record);
    }
  }

  /** How long {@code record} still holds back new pods; zero when it does not. */
  Duration remaining(Record record) {
    if (record.failures() == 0) {
      return Duration.ZERO;
    }
    Duration delay = base;
    for (int i = 1; i < record.failures() && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    if (delay.compareTo(max) > 0) {
      delay = max;
    }
    Duration left = Duration.between(clock.instant(), record.lastFailure().plus(delay));
    return left.isNegative() ? Duration.ZERO : left;
  }

  void forget(Request job) {
    records.remove(job);
  }
}
