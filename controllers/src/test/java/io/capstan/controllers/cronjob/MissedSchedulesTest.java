package io.capstan.controllers.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MissedSchedulesTest {
  static MissedSchedules missed(String spec, String earliest, String now) {
    return MissedSchedules.between(CronSchedule.parse(spec), ZoneOffset.UTC, Instant.parse(earliest),
        Instant.parse(now));
  }

  @Test
  void nothingIsMissedBeforeTheFirstTime() {
    assertEquals(new MissedSchedules(Optional.empty(), 0),
        missed("* * * * *", "2024-01-01T00:00:10Z", "2024-01-01T00:00:59Z"));
  }

  @Test
  void theMostRecentOfSeveralMissedTimesIsStarted() {
    MissedSchedules m = missed("*/5 * * * *", "2024-01-01T00:00:00Z", "2024-01-01T00:17:00Z");
    assertEquals(Optional.of(Instant.parse("2024-01-01T00:15:00Z")), m.mostRecent());
    assertEquals(3, m.count());
    assertEquals(Optional.of(Instant.parse("2024-01-01T00:15:00Z")),
        missed("*/5 * * * *", "2024-01-01T00:00:00Z", "2024-01-01T00:15:00Z").mostRecent(), "now itself counts");
  }

  @Test
  void aLongOutageCountsOnlyUpToTheWarningAndStillFindsTheLatest() {
    MissedSchedules m = missed("* * * * *", "2023-01-01T00:00:00Z", "2024-01-01T12:34:56Z");
    assertEquals(Optional.of(Instant.parse("2024-01-01T12:34:00Z")), m.mostRecent());
    assertEquals(MissedSchedules.TOO_MANY + 1, m.count());
    MissedSchedules daily = missed("0 3 1 * *", "2020-01-01T00:00:00Z", "2024-05-20T00:00:00Z");
    assertEquals(Optional.of(Instant.parse("2024-05-01T03:00:00Z")), daily.mostRecent());
  }
}
