package io.capstan.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --name value} and {@code --name=value} flags, checked against the allowed names; a flag
 * given twice keeps its last value ({@link #all} returns every value). Commands that take operands
 * (plain arguments such as FILE) parse with {@link #withOperands}.
 */
final class Flags {
  /** One term of a Go duration: a decimal number and a unit. */
  private static final Pattern DURATION_TERM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private final Map<String, String> values;
  private final Map<String, List<String>> every;
  private final List<String> operands;

  private Flags(Map<String, String> values, Map<String, List<String>> every, List<String> operands) {
    this.values = values;
    this.every = every;
    this.operands = operands;
  }

  static Flags parse(String[] args, Set<String> allowed) {
    return parse(args, allowed, false);
  }

  /** Like {@link #parse}, but arguments that are not flags are kept as operands, in order. */
  static Flags withOperands(String[] args, Set<String> allowed) {
    return parse(args, allowed, true);
  }

  private static Flags parse(String[] args, Set<String> allowed, boolean operandsAllowed) {
    Map<String, String> out = new HashMap<>();
    Map<String, List<String>> every = new HashMap<>();
    List<String> operands = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (operandsAllowed && a.equals("--")) {
        operands.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (operandsAllowed && (!a.startsWith("-") || a.equals("-"))) {
        operands.add(a);
        continue;
      }
      if (!a.startsWith("--")) {
        throw new UsageException("unexpected argument \"" + a + "\"");
      }
      String name;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        name = a.substring(2);
        if (i + 1 >= args.length) {
          throw new UsageException("flag --" + name + " needs a value");
        }
        value = args[++i];
      }
      if (!allowed.contains(name)) {
        throw new UsageException("unknown flag --" + name);
      }
      out.put(name, value);
      every.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return new Flags(out, every, List.copyOf(operands));
  }

  /** The arguments that are not flags (only with {@link #withOperands}). */
  List<String> operands() {
    return operands;
  }

  /** Every value of a flag given several times, in order; empty when absent. */
  List<String> all(String name) {
    return List.copyOf(every.getOrDefault(name, List.of()));
  }

  String get(String name) {
    return values.get(name);
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /**
   * A Go-style duration flag ({@code 40s}, {@code 1m30s}, {@code 500ms}), {@code fallback} when
   * absent; zero or malformed values are usage errors.
   */
  Duration duration(String name, Duration fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    Matcher m = DURATION_TERM.matcher(v);
    double millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      millis += n * switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        default -> 3_600_000;
      };
      end = m.end();
    }
    if (v.isEmpty() || end != v.length() || millis < 1) {
      throw new UsageException("invalid --" + name + " \"" + v + "\" (expected a positive duration such as 40s)");
    }
    return Duration.ofMillis((long) millis);
  }

  /** A whole-number flag within [min, max], {@code fallback} when absent. */
  int integer(String name, int fallback, int min, int max) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("invalid --" + name + " \"" + v + "\" (expected a whole number from " + min
        + " to " + max + ")");
  }
}
