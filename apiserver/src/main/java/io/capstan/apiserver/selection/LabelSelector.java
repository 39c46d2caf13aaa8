package io.capstan.apiserver.selection;

import io.capstan.apiserver.errors.StatusErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed label selector in the string syntax of apimachinery's labels.Parse: a comma-separated
 * conjunction of {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a)},
 * {@code k} (exists) and {@code !k} (does not exist).
 */
public final class LabelSelector {
  /** Matches everything. */
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private static final Pattern KEY = Pattern.compile(
      "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQUALS, IN -> v != null && values.contains(v);
        case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }
  }

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses {@code s}; null or blank selects everything.
   *
   * @throws io.capstan.apiserver.errors.ApiException 400 when the syntax is wrong
   */
  public static LabelSelector parse(String s) {
    if (s == null || s.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> out = new ArrayList<>();
    for (String term : splitTerms(s)) {
      out.add(parseTerm(term.trim(), s));
    }
    return new LabelSelector(List.copyOf(out));
  }

  /** Splits at commas that are not inside parentheses. */
  private static List<String> splitTerms(String s) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(s.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(s.substring(start));
    return terms;
  }

  private static Requirement parseTerm(String t, String whole) {
    if (t.isEmpty()) {
      throw bad(whole, "empty requirement");
    }
    if (t.startsWith("!")) {
      return new Requirement(key(t.substring(1).trim(), whole), Op.DOES_NOT_EXIST, Set.of());
    }
    String[] setOps = {" notin ", " in "};
    for (String op : setOps) {
      int i = t.indexOf(op);
      if (i > 0) {
        String key = key(t.substring(0, i).trim(), whole);
        String rest = t.substring(i + op.length()).trim();
        if (!rest.startsWith("(") || !rest.endsWith(")")) {
          throw bad(whole, "expected '(' and ')' around the values");
        }
        Set<String> values = new java.util.LinkedHashSet<>();
        for (String v : rest.substring(1, rest.length() - 1).split(",")) {
          values.add(value(v.trim(), whole));
        }
        return new Requirement(key, op.trim().equals("in") ? Op.IN : Op.NOT_IN, values);
      }
    }
    int ne = t.indexOf("!=");
    if (ne > 0) {
      return new Requirement(key(t.substring(0, ne).trim(), whole), Op.NOT_EQUALS, Set.of(value(t.substring(ne + 2).trim(), whole)));
    }
    int eq = t.indexOf('=');
    if (eq > 0) {
      int valueStart = t.startsWith("==", eq) ? eq + 2 : eq + 1;
      return new Requirement(key(t.substring(0, eq).trim(), whole), Op.EQUALS, Set.of(value(t.substring(valueStart).trim(), whole)));
    }
    return new Requirement(key(t, whole), Op.EXISTS, Set.of());
  }

  private static String key(String k, String whole) {
    if (!KEY.matcher(k).matches() || k.length() > 316) {
      throw bad(whole, "invalid label key \"" + k + "\"");
    }
    return k;
  }

  private static String value(String v, String whole) {
    if (!VALUE.matcher(v).matches() || v.length() > 63) {
      throw bad(whole, "invalid label value: \"" + v + "\"");
    }
    return v;
  }

  private static RuntimeException bad(String whole, String why) {
    return StatusErrors.badRequest("unable to parse requirement: " + why + " in label selector \"" + whole + "\"");
  }
}
