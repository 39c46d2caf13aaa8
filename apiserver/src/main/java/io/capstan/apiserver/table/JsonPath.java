package io.capstan.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of kubectl's JSONPath that CRD printer columns use: {@code .spec.replicas}, {@code
 * .spec.items[0].name}, {@code .items[-1]}, {@code .metadata.labels['app.kubernetes.io/name']},
 * escaped dots ({@code .metadata.labels.app\.kubernetes\.io/name}), wildcards ({@code [*]}, {@code
 * .*}) and filters such as {@code .status.conditions[?(@.type=="Ready")].status} (operators ==, !=,
 * &lt;, &gt;, &lt;=, &gt;= and plain existence). The expression may be wrapped in braces and start
 * with {@code $}. Missing keys select nothing, as with {@code allowMissingKeys}. Immutable.
 */
final class JsonPath {
  /** One step: the nodes it selects from {@code in}, added to {@code out}. */
  private interface Step {
    void apply(JsonNode in, List<JsonNode> out);
  }

  private final List<Step> steps;

  private JsonPath(List<Step> steps) {
    this.steps = steps;
  }

  /** Parses an expression; throws IllegalArgumentException for syntax this subset does not support. */
  static JsonPath parse(String expression) {
    String s = expression.trim();
    if (s.startsWith("{") && s.endsWith("}")) {
      s = s.substring(1, s.length() - 1).trim();
    }
    if (s.startsWith("$")) {
      s = s.substring(1);
    }
    return new JsonPath(new Parser(s).steps());
  }

  /** Every node the path selects, in document order. */
  List<JsonNode> find(JsonNode root) {
    List<JsonNode> current = new ArrayList<>(List.of(root));
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        step.apply(n, next);
      }
      current = next;
    }
    return current;
  }

  /** The first node the path selects, or null when it selects nothing. */
  JsonNode first(JsonNode root) {
    List<JsonNode> all = find(root);
    return all.isEmpty() ? null : all.get(0);
  }

  private static Step field(String name) {
    return (in, out) -> {
      if (in.isObject() && in.has(name)) {
        out.add(in.get(name));
      }
    };
  }

  private static Step children() {
    return (in, out) -> {
      if (in.isContainerNode()) {
        in.forEach(out::add);
      }
    };
  }

  private static Step index(int i) {
    return (in, out) -> {
      if (in.isArray()) {
        int at = i < 0 ? in.size() + i : i;
        if (at >= 0 && at < in.size()) {
          out.add(in.get(at));
        }
      }
    };
  }

  private static Step filter(JsonPath left, String op, Object right) {
    return (in, out) -> {
      if (!in.isContainerNode()) {
        return;
      }
      for (JsonNode item : in) {
        JsonNode l = left.first(item);
        if (l == null) {
          continue;
        }
        JsonNode r = right instanceof JsonPath p ? p.first(item) : (JsonNode) right;
        if (op.isEmpty() || (r != null && Compare.matches(l, op, r))) {
          out.add(item);
        }
      }
    };
  }

  /** A recursive-descent parser of the supported subset. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    List<Step> steps() {
      List<Step> steps = new ArrayList<>();
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '.') {
          i++;
          if (i < s.length() && s.charAt(i) == '*') {
            i++;
            steps.add(children());
            continue;
          }
          String name = name();
          if (name.isEmpty()) {
            if (i < s.length()) {
              throw unsupported();
            }
            break; // "." alone, or a trailing dot
          }
          steps.add(field(name));
        } else if (c == '[') {
          int close = closing(i);
          String inner = s.substring(i + 1, close).trim();
          i = close + 1;
          steps.add(bracket(inner));
        } else {
          throw unsupported();
        }
      }
      return steps;
    }

    private String name() {
      StringBuilder b = new StringBuilder();
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          b.append(s.charAt(i + 1));
          i += 2;
        } else if (c == '.' || c == '[') {
          break;
        } else {
          b.append(c);
          i++;
        }
      }
      return b.toString();
    }

    /** The index of the ']' that closes the '[' at {@code open}, skipping quotes and parentheses. */
    private int closing(int open) {
      char quote = 0;
      int depth = 0;
      for (int j = open + 1; j < s.length(); j++) {
        char c = s.charAt(j);
        if (quote != 0) {
          quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        } else if (c == ']' && depth == 0) {
          return j;
        }
      }
      throw unsupported();
    }

    private Step bracket(String inner) {
      if (inner.equals("*")) {
        return children();
      }
      if (Compare.isQuoted(inner)) {
        return field(inner.substring(1, inner.length() - 1));
      }
      if (inner.startsWith("?(") && inner.endsWith(")")) {
        return filterOf(inner.substring(2, inner.length() - 1).trim());
      }
      try {
        return index(Integer.parseInt(inner));
      } catch (NumberFormatException e) {
        throw unsupported();
      }
    }

    private Step filterOf(String expr) {
      for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
        int at = Compare.indexOutsideQuotes(expr, op);
        if (at > 0) {
          JsonPath left = relative(expr.substring(0, at).trim());
          String rhs = expr.substring(at + op.length()).trim();
          Object right = rhs.startsWith("@") ? relative(rhs) : Compare.literal(rhs);
          return filter(left, op, right);
        }
      }
      return filter(relative(expr), "", null);
    }

    private JsonPath relative(String path) {
      if (!path.startsWith("@")) {
        throw unsupported();
      }
      return new JsonPath(new Parser(path.substring(1)).steps());
    }

    private IllegalArgumentException unsupported() {
      return new IllegalArgumentException("unsupported JSONPath: " + s);
    }
  }

  /** Filter literals and comparisons. */
  private static final class Compare {
    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    static boolean isQuoted(String s) {
      return s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0);
    }

    /** A filter's right-hand literal: a quoted string, a number, true, false or null. */
    static JsonNode literal(String s) {
      if (isQuoted(s)) {
        return NODES.textNode(s.substring(1, s.length() - 1));
      }
      switch (s) {
        case "true":
          return NODES.booleanNode(true);
        case "false":
          return NODES.booleanNode(false);
        case "null":
          return NODES.nullNode();
        default:
          try {
            return NODES.numberNode(new java.math.BigDecimal(s));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsupported JSONPath literal: " + s);
          }
      }
    }

    /** The first index of {@code op} in {@code s} outside quotes, or -1. */
    static int indexOutsideQuotes(String s, String op) {
      char quote = 0;
      for (int j = 0; j < s.length(); j++) {
        char c = s.charAt(j);
        if (quote != 0) {
          quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (s.startsWith(op, j)) {
          return j;
        }
      }
      return -1;
    }

    static boolean matches(JsonNode l, String op, JsonNode r) {
      int cmp;
      if (l.isNumber() && r.isNumber()) {
        cmp = l.decimalValue().compareTo(r.decimalValue());
      } else if (l.isTextual() && r.isTextual()) {
        cmp = l.asText().compareTo(r.asText());
      } else if (op.equals("==") || op.equals("!=")) {
        cmp = l.equals(r) ? 0 : 1;
      } else {
        return false;
      }
      return switch (op) {
        case "==" -> cmp == 0;
        case "!=" -> cmp != 0;
        case "<" -> cmp < 0;
        case ">" -> cmp > 0;
        case "<=" -> cmp <= 0;
        default -> cmp >= 0;
      };
    }
  }
}
