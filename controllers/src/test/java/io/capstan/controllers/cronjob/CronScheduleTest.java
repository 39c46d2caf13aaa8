package io.capstan.controllers.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  static final ZoneId UTC = ZoneOffset.UTC;

  /** The first {@code n} times of {@code spec} after {@code from}, in UTC. */
  static List<String> times(String spec, String from, int n) {
    return times(spec, from, n, UTC);
  }

  static List<String> times(String spec, String from, int n, ZoneId zone) {
    CronSchedule s = CronSchedule.parse(spec);
    List<String> out = new ArrayList<>();
    Instant t = Instant.parse(from);
    for (int i = 0; i < n; i++) {
      t = s.next(t, zone).orElseThrow();
      out.add(t.toString());
    }
    return out;
  }

  @Test
  void everyMinuteStartsAtTheNextMinuteBoundary() {
    assertEquals(List.of("2024-01-01T00:01:00Z", "2024-01-01T00:02:00Z"),
        times("* * * * *", "2024-01-01T00:00:30Z", 2));
    assertEquals(List.of("2024-01-01T00:01:00Z"), times("* * * * *", "2024-01-01T00:00:00Z", 1),
        "strictly after");
  }

  @Test
  void listsRangesAndSteps() {
    assertEquals(List.of("2024-01-01T00:00:00Z", "2024-01-01T00:15:00Z", "2024-01-01T00:30:00Z"),
        times("*/15 * * * *", "2023-12-31T23:59:00Z", 3));
    assertEquals(List.of("2024-01-01T09:05:00Z", "2024-01-01T09:10:00Z", "2024-01-01T17:05:00Z"),
        times("5,10 9,17 * * *", "2024-01-01T00:00:00Z", 3));
    assertEquals(List.of("2024-01-01T10:00:00Z", "2024-01-01T12:00:00Z", "2024-01-01T14:00:00Z",
        "2024-01-02T10:00:00Z"), times("0 10-14/2 * * *", "2024-01-01T00:00:00Z", 4));
    assertEquals(List.of("2024-01-01T00:50:00Z", "2024-01-01T00:55:00Z", "2024-01-01T01:50:00Z"),
        times("50/5 * * * *", "2024-01-01T00:00:00Z", 3), "N/step runs from N to the maximum");
  }

  @Test
  void namesOfMonthsAndDays() {
    // 2024-01-01 is a Monday.
    assertEquals(List.of("2024-01-06T08:00:00Z", "2024-01-07T08:00:00Z", "2024-01-13T08:00:00Z"),
        times("0 8 * * sat,SUN", "2024-01-01T00:00:00Z", 3));
    assertEquals(List.of("2024-03-01T00:00:00Z", "2024-07-01T00:00:00Z", "2025-03-01T00:00:00Z"),
        times("0 0 1 mar,Jul *", "2024-01-01T00:00:00Z", 3));
    assertEquals(List.of("2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z", "2024-01-04T00:00:00Z"),
        times("0 0 * * tue-thu", "2024-01-01T00:00:00Z", 3));
  }

  @Test
  void restrictedDayOfMonthAndWeekMatchEither() {
    // The 13th, or any Friday: Friday Jan 5, Jan 12, Saturday Jan 13, Friday Jan 19.
    assertEquals(List.of("2024-01-05T00:00:00Z", "2024-01-12T00:00:00Z", "2024-01-13T00:00:00Z",
        "2024-01-19T00:00:00Z"), times("0 0 13 * 5", "2024-01-01T00:00:00Z", 4));
    // With '?' (or '*') for the day of week, only the day of month counts.
    assertEquals(List.of("2024-09-13T00:00:00Z", "2024-10-13T00:00:00Z"),
        times("0 0 13 * ?", "2024-09-01T00:00:00Z", 2));
    // A stepped '*/2' restricts the field: odd days of the month (1, 3, ...), or Mondays (the 8th).
    assertEquals(List.of("2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z", "2024-01-05T00:00:00Z",
        "2024-01-07T00:00:00Z", "2024-01-08T00:00:00Z"), times("0 0 */2 * mon", "2023-12-31T12:00:00Z", 5));
  }

  @Test
  void descriptors() {
    assertEquals(List.of("2024-01-01T01:00:00Z"), times("@hourly", "2024-01-01T00:00:00Z", 1));
    assertEquals(List.of("2024-01-02T00:00:00Z"), times("@daily", "2024-01-01T00:00:00Z", 1));
    assertEquals(List.of("2024-01-02T00:00:00Z"), times("@midnight", "2024-01-01T00:00:00Z", 1));
    assertEquals(List.of("2024-01-07T00:00:00Z"), times("@weekly", "2024-01-01T00:00:00Z", 1));
    assertEquals(List.of("2024-02-01T00:00:00Z"), times("@monthly", "2024-01-01T00:00:00Z", 1));
    assertEquals(List.of("2025-01-01T00:00:00Z"), times("@yearly", "2024-01-01T00:00:00Z", 1));
    assertEquals(List.of("2025-01-01T00:00:00Z"), times("@annually", "2024-01-01T00:00:00Z", 1));
    assertEquals(List.of("2024-01-01T01:30:00Z", "2024-01-01T03:00:00Z"),
        times("@every 1h30m", "2024-01-01T00:00:00Z", 2));
    assertEquals(Duration.ofMillis(1500), CronSchedule.goDuration("1.5s"));
  }

  @Test
  void timesFollowTheZoneAcrossDaylightSaving() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    // 09:00 Berlin is 08:00Z in winter and 07:00Z in summer (the clocks moved on 2024-03-31).
    assertEquals(List.of("2024-03-30T08:00:00Z", "2024-03-31T07:00:00Z"),
        times("0 9 * * *", "2024-03-30T00:00:00Z", 2, berlin));
    // 02:30 does not exist on 2024-03-31 in Berlin: that day's run moves to 03:30 local (01:30Z).
    assertEquals(List.of("2024-03-30T01:30:00Z", "2024-03-31T01:30:00Z", "2024-04-01T00:30:00Z"),
        times("30 2 * * *", "2024-03-30T00:00:00Z", 3, berlin));
  }

  @Test
  void aScheduleThatNeverFiresHasNoNextTime() {
    assertTrue(CronSchedule.parse("0 0 30 2 *").next(Instant.parse("2024-01-01T00:00:00Z"), UTC).isEmpty());
  }

  @Test
  void badSchedulesAreRejected() {
    for (String bad : List.of("", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
        "* * * * 7", "5-1 * * * *", "*/0 * * * *", "a * * * *", "1-2-3 * * * *", "@often", "@every soon")) {
      assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(bad), bad);
    }
  }
}
