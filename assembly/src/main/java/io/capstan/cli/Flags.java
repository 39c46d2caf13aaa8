package io.capstan.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --name=value} flags, checked against the allowed names. */
final class Flags {
  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  static Flags parse(String[] args, Set<String> allowed) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
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
    }
    return new Flags(out);
  }

  String get(String name) {
    return values.get(name);
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }
}
