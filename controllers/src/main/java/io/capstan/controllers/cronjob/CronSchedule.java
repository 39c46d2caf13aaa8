package io.capstan.controllers.cronjob;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob schedule, read as the standard 5-field cron parser Kubernetes uses (robfig/cron):
 * minute, hour, day of month, month, day of week; each field a comma list of {@code *}, {@code ?},
 * values, ranges {@code a-b} and steps {@code x/n}, with month and day names ({@code jan},
 * {@code mon}); or a descriptor {@code @yearly @annually @monthly @weekly @daily @midnight
 * @hourly}, or {@code @every <duration>} (Go syntax, such as {@code 1h30m}). When both day fields
 * are restricted a day matches either (cron's rule); when one is {@code *} or {@code ?} both must.
 * Times are computed in the given zone.
 */
public final class CronSchedule {
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
      Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
      Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
  private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
      "fri", 5, "sat", 6);
  private static final Map<String, String> DESCRIPTORS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");
  /** Searching further than this for the next time means the schedule never fires (Feb 30). */
  private static final int MAX_YEARS = 5;

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domStar;
  private final boolean dowStar;
  private final Duration every;

  private CronSchedule(BitSet[] fields, boolean domStar, boolean dowStar, Duration every) {
    this.minutes = fields == null ? null : fields[0];
    this.hours = fields == null ? null : fields[1];
    this.daysOfMonth = fields == null ? null : fields[2];
    this.months = fields == null ? null : fields[3];
    this.daysOfWeek = fields == null ? null : fields[4];
    this.domStar = domStar;
    this.dowStar = dowStar;
    this.every = every;
  }

  /** Parses {@code spec}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static CronSchedule parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty spec string");
    }
    if (s.startsWith("@every ")) {
      Duration d = goDuration(s.substring("@every ".length()).trim());
      return new CronSchedule(null, false, false, d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
          : d.truncatedTo(ChronoUnit.SECONDS));
    }
    if (s.startsWith("@")) {
      String fields = DESCRIPTORS.get(s.toLowerCase(Locale.ROOT));
      if (fields == null) {
        throw new IllegalArgumentException("unrecognized descriptor: " + s);
      }
      s = fields;
    }
    String[] parts = s.split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("expected exactly 5 fields, found " + parts.length + ": " + s);
    }
    int[][] bounds = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
    BitSet[] fields = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      fields[i] = field(parts[i], bounds[i][0], bounds[i][1], i == 3 ? MONTHS : i == 4 ? DAYS : Map.of());
    }
    return new CronSchedule(fields, isStar(parts[2]), isStar(parts[4]), null);
  }

  /** The first time strictly after {@code after}, in {@code zone}; empty when there is none. */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    if (every != null) {
      return Optional.of(after.truncatedTo(ChronoUnit.SECONDS).plus(every));
    }
    LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDateTime limit = t.plusYears(MAX_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        Instant at = ZonedDateTime.of(t, zone).toInstant();
        if (at.isAfter(after)) {
          return Optional.of(at);
        }
        t = t.plusMinutes(1);
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    return domStar || dowStar ? dom && dow : dom || dow;
  }

  private static boolean isStar(String field) {
    return (field.startsWith("*") || field.startsWith("?")) && !field.matches("[*?]/([2-9]|[1-9][0-9]+)");
  }

  private static BitSet field(String expr, int min, int max, Map<String, Integer> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : expr.split(",", -1)) {
      String[] rangeAndStep = part.split("/", -1);
      if (rangeAndStep.length > 2) {
        throw new IllegalArgumentException("too many slashes: " + part);
      }
      String[] lowHigh = rangeAndStep[0].split("-", -1);
      int start;
      int end;
      if (lowHigh[0].equals("*") || lowHigh[0].equals("?")) {
        start = min;
        end = max;
      } else {
        start = value(lowHigh[0], names);
        if (lowHigh.length == 1) {
          end = start;
        } else if (lowHigh.length == 2) {
          end = value(lowHigh[1], names);
        } else {
          throw new IllegalArgumentException("too many hyphens: " + part);
        }
      }
      int step = 1;
      if (rangeAndStep.length == 2) {
        step = value(rangeAndStep[1], Map.of());
        if (lowHigh.length == 1 && !lowHigh[0].equals("*") && !lowHigh[0].equals("?")) {
          end = max;
        }
      }
      if (start < min || end > max || start > end || step <= 0) {
        throw new IllegalArgumentException("invalid range " + part + " (allowed " + min + "-" + max + ")");
      }
      for (int v = start; v <= end; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String s, Map<String, Integer> names) {
    Integer named = names.get(s.toLowerCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    try {
      int n = Integer.parseInt(s);
      if (n < 0) {
        throw new IllegalArgumentException("negative number (" + n + ") not allowed: " + s);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse int from " + s);
    }
  }

  /** A Go duration ({@code 1h30m}, {@code 90s}, {@code 1.5h}). */
  static Duration goDuration(String s) {
    Matcher m = DURATION_PART.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (pos < s.length() && m.find(pos) && m.start() == pos) {
      double v = Double.parseDouble(m.group(1));
      nanos += v * switch (m.group(2)) {
        case "h" -> 3.6e12;
        case "m" -> 6e10;
        case "s" -> 1e9;
        case "ms" -> 1e6;
        case "ns" -> 1;
        default -> 1e3;
      };
      pos = m.end();
    }
    if (pos == 0 || pos != s.length()) {
      throw new IllegalArgumentException("failed to parse duration @every " + s);
    }
    return Duration.ofNanos((long) nanos);
  }
}
