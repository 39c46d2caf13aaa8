package io.capstan.apiserver.registry.strategy;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a CronJob schedule the way the standard 5-field cron parser Kubernetes uses does:
 * minute, hour, day of month, month, day of week, with lists, ranges, steps, names and '?', or a
 * descriptor (@hourly, @daily, @every 1h30m...). Only the error text is of interest here.
 */
final class CronSchedule {
  private record Bounds(int min, int max, Map<String, Integer> names) {}

  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
      Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
      Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
  private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
      "fri", 5, "sat", 6);
  private static final List<Bounds> FIELDS = List.of(new Bounds(0, 59, Map.of()), new Bounds(0, 23, Map.of()),
      new Bounds(1, 31, Map.of()), new Bounds(1, 12, MONTHS), new Bounds(0, 6, DAYS));
  private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
      "@midnight", "@hourly");
  private static final Pattern DURATION = Pattern.compile(
      "[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)");

  private CronSchedule() {}

  /** Why {@code spec} is not a valid schedule; null when it is. */
  static String error(String spec) {
    if (spec.isEmpty()) {
      return "empty spec string";
    }
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      int space = spec.indexOf(' ');
      String zone = spec.substring(spec.indexOf('=') + 1, space < 0 ? spec.length() : space);
      if (space < 0 || !ZoneId.getAvailableZoneIds().contains(zone) && !zone.equals("UTC")) {
        return "provided bad location " + zone + ": unknown time zone " + zone;
      }
      spec = spec.substring(space).trim();
    }
    if (spec.startsWith("@")) {
      return descriptor(spec);
    }
    String[] fields = spec.trim().split("\\s+");
    if (spec.isBlank() || fields.length != 5) {
      int count = spec.isBlank() ? 0 : fields.length;
      return "expected exactly 5 fields, found " + count + ": [" + (spec.isBlank() ? "" : String.join(" ", fields))
          + "]";
    }
    for (int i = 0; i < 5; i++) {
      for (String expr : fields[i].split(",")) {
        if (expr.isEmpty()) {
          continue;
        }
        String err = range(expr, FIELDS.get(i));
        if (err != null) {
          return err;
        }
      }
    }
    return null;
  }

  private static String descriptor(String spec) {
    if (DESCRIPTORS.contains(spec)) {
      return null;
    }
    if (spec.startsWith("@every ")) {
      String d = spec.substring("@every ".length());
      return DURATION.matcher(d).matches() ? null
          : "failed to parse duration " + spec + ": time: invalid duration \"" + d + "\"";
    }
    return "unrecognized descriptor: " + spec;
  }

  private static String range(String expr, Bounds b) {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    long start;
    long end;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      start = b.min();
      end = b.max();
    } else {
      Object s = intOrName(lowAndHigh[0], b);
      if (s instanceof String err) {
        return err;
      }
      start = (Long) s;
      if (lowAndHigh.length == 1) {
        end = start;
      } else if (lowAndHigh.length == 2) {
        Object e = intOrName(lowAndHigh[1], b);
        if (e instanceof String err) {
          return err;
        }
        end = (Long) e;
      } else {
        return "too many hyphens: " + expr;
      }
    }
    long step = 1;
    if (rangeAndStep.length == 2) {
      Object st = number(rangeAndStep[1]);
      if (st instanceof String err) {
        return err;
      }
      step = (Long) st;
      if (lowAndHigh.length == 1) {
        end = b.max();
      }
    } else if (rangeAndStep.length > 2) {
      return "too many slashes: " + expr;
    }
    if (start < b.min()) {
      return "beginning of range (" + start + ") below minimum (" + b.min() + "): " + expr;
    }
    if (end > b.max()) {
      return "end of range (" + end + ") above maximum (" + b.max() + "): " + expr;
    }
    if (start > end) {
      return "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr;
    }
    if (step == 0) {
      return "step of range should be a positive number: " + expr;
    }
    return null;
  }

  /** A Long, or the error text. */
  private static Object intOrName(String s, Bounds b) {
    Integer named = b.names().get(s.toLowerCase(Locale.ROOT));
    return named != null ? Long.valueOf(named) : number(s);
  }

  private static Object number(String s) {
    long n;
    try {
      n = Long.parseLong(s);
    } catch (NumberFormatException e) {
      boolean digits = s.matches("[-+]?[0-9]+");
      return "failed to parse int from " + s + ": strconv.Atoi: parsing \"" + s + "\": "
          + (digits ? "value out of range" : "invalid syntax");
    }
    if (n < 0) {
      return "negative number (" + n + ") not allowed: " + s;
    }
    return n;
  }
}
