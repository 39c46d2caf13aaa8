package io.capstan.apiserver.crd;

import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** One validation pass: where its errors are rooted and the errors found so far. */
final class Run {
  private final String prefix;
  private final List<FieldError> errors = new ArrayList<>();

  Run(String prefix) {
    this.prefix = prefix == null ? "" : prefix;
  }

  String prefix() {
    return prefix;
  }

  List<FieldError> errors() {
    return errors;
  }

  void add(FieldError e) {
    errors.add(e);
  }

  /** The field path of kube-openapi name {@code name} under this pass's prefix. */
  String field(String name) {
    if (name.isEmpty()) {
      return Paths.orNil(prefix);
    }
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** A string as Go's %q prints it. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** kube-openapi's child name: {@code parent.key}, or {@code key} at the root. */
  static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
