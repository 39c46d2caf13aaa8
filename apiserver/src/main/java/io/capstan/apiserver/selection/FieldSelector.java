package io.capstan.apiserver.selection;

import io.capstan.apiserver.errors.StatusErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed field selector: a conjunction of {@code field=value}, {@code field==value} and
 * {@code field!=value} over the fields a resource supports (see {@link FieldSets}).
 */
public final class FieldSelector {
  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  record Requirement(String field, boolean equals, String value) {}

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  /** The value required for {@code field} by an equality term, or null. */
  public String requiredValue(String field) {
    for (Requirement r : requirements) {
      if (r.equals && r.field.equals(field)) {
        return r.value;
      }
    }
    return null;
  }

  public boolean matches(Map<String, String> fields) {
    for (Requirement r : requirements) {
      String v = fields.getOrDefault(r.field, "");
      if (r.equals != v.equals(r.value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses {@code s} and checks every field is one of {@code supported}.
   *
   * @throws io.capstan.apiserver.errors.ApiException 400 for bad syntax or unsupported fields
   */
  public static FieldSelector parse(String s, Set<String> supported, String resourceForMessage) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String term : s.split(",")) {
      String t = term.trim();
      int ne = t.indexOf("!=");
      int eq = t.indexOf('=');
      Requirement r;
      if (ne > 0) {
        r = new Requirement(t.substring(0, ne).trim(), false, unescape(t.substring(ne + 2).trim()));
      } else if (eq > 0) {
        int valueStart = t.startsWith("==", eq) ? eq + 2 : eq + 1;
        r = new Requirement(t.substring(0, eq).trim(), true, unescape(t.substring(valueStart).trim()));
      } else {
        throw StatusErrors.badRequest("invalid field selector: '" + t + "': does not contain an operator");
      }
      if (!supported.contains(r.field)) {
        throw StatusErrors.badRequest("field label not supported: " + r.field);
      }
      out.add(r);
    }
    return new FieldSelector(List.copyOf(out));
  }

  private static String unescape(String v) {
    return v.replace("\\,", ",").replace("\\=", "=").replace("\\\\", "\\");
  }
}
