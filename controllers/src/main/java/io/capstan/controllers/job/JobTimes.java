package io.capstan.controllers.job;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as the API writes them (whole seconds, UTC). */
final class JobTimes {
  private JobTimes() {}

  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The instant of {@code t}; the epoch when it cannot be read. */
  static Instant parse(String t) {
    if (t == null || t.isEmpty()) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
