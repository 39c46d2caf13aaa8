package io.capstan.controllers.cronjob;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Which scheduled times of a CronJob have passed without a job, as upstream's {@code
 * mostRecentScheduleTime}: the times after the earliest moment that matters (the last schedule
 * time, else the CronJob's creation; with {@code startingDeadlineSeconds}, no earlier than that
 * long ago) and not after now. Only the most recent of them is started; upstream warns when more
 * than {@value #TOO_MANY} were missed.
 *
 * @param mostRecent the latest missed time, if any
 * @param count how many were missed, counted up to {@value #TOO_MANY} + 1
 */
public record MissedSchedules(Optional<Instant> mostRecent, int count) {
  public static final int TOO_MANY = 100;

  /** The missed times of {@code schedule} in {@code zone} in {@code (earliest, now]}. */
  public static MissedSchedules between(CronSchedule schedule, ZoneId zone, Instant earliest, Instant now) {
    Optional<Instant> first = schedule.next(earliest, zone);
    if (first.isEmpty() || first.get().isAfter(now)) {
      return new MissedSchedules(Optional.empty(), 0);
    }
    int count = 0;
    for (Optional<Instant> t = first; t.isPresent() && !t.get().isAfter(now) && count <= TOO_MANY;
        t = schedule.next(t.get(), zone)) {
      count++;
    }
    return new MissedSchedules(Optional.of(latest(schedule, zone, earliest, now)), count);
  }

  /**
   * The latest time in {@code (earliest, now]}, which exists: look back over a window that
   * doubles until it holds a time, then walk forward through it. The walk stays short, as no time
   * lies in the window's later half.
   */
  private static Instant latest(CronSchedule schedule, ZoneId zone, Instant earliest, Instant now) {
    Duration window = Duration.ofMinutes(1);
    Instant from;
    while (true) {
      from = now.minus(window);
      if (!from.isAfter(earliest)) {
        from = earliest;
        break;
      }
      Optional<Instant> t = schedule.next(from, zone);
      if (t.isPresent() && !t.get().isAfter(now)) {
        break;
      }
      window = window.multipliedBy(2);
    }
    Instant last = null;
    for (Optional<Instant> t = schedule.next(from, zone); t.isPresent() && !t.get().isAfter(now);
        t = schedule.next(t.get(), zone)) {
      last = t.get();
    }
    return last;
  }
}
