package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Comparing stored and updated values as apimachinery's semantic equality does: unset, null and
 * empty strings, lists and maps are the same, and numbers compare by value.
 */
final class Immutable {
  private static final int MAX_DIFFS = 10;

  private Immutable() {}

  /** Whether {@code a} and {@code b} are semantically equal. */
  static boolean same(JsonNode a, JsonNode b) {
    JsonNode na = normalize(a);
    JsonNode nb = normalize(b);
    if (na == null || nb == null) {
      return na == nb;
    }
    return na.equals((x, y) -> compare(x, y), nb);
  }

  /**
   * Whether an update changes the spec, judged after defaulting the new object (as upstream,
   * where defaults apply when the request is decoded) and by semantic equality.
   */
  static boolean specChanged(Strategy strategy, ObjectNode obj, ObjectNode old) {
    ObjectNode copy = obj.deepCopy();
    strategy.applyDefaults(copy);
    return !same(copy.get("spec"), old.get("spec"));
  }

  /** Adds "field is immutable" at {@code path} when the value changed. */
  static void check(JsonNode now, JsonNode before, String path, List<FieldError> errs) {
    if (!same(now, before)) {
      errs.add(FieldError.invalid(path, shown(now), Checks.IMMUTABLE));
    }
  }

  /** A value as an error shows it: strings quoted, anything else as is. */
  static Object shown(JsonNode v) {
    if (!Checks.present(v)) {
      return Checks.raw("null");
    }
    return v.isTextual() ? v.asText() : Checks.json(v);
  }

  private static int compare(JsonNode x, JsonNode y) {
    if (x.isNumber() && y.isNumber()) {
      return x.decimalValue().compareTo(y.decimalValue());
    }
    return x.equals(y) ? 0 : 1;
  }

  /** A copy without unset-equivalent members; null when the value itself is unset-equivalent. */
  static JsonNode normalize(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.asText().isEmpty())) {
      return null;
    }
    if (v.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode n = normalize(e.getValue());
        if (n != null) {
          out.set(e.getKey(), n);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (v.isArray()) {
      if (v.isEmpty()) {
        return null;
      }
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : v) {
        JsonNode n = normalize(e);
        out.add(n == null ? JsonNodeFactory.instance.nullNode() : n);
      }
      return out;
    }
    return v;
  }

  /** The paths under {@code path} where {@code before} and {@code now} differ (a few at most). */
  static List<String> diff(JsonNode before, JsonNode now, String path) {
    List<String> out = new ArrayList<>();
    diff(normalize(before), normalize(now), path, out);
    return out;
  }

  private static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
    if (out.size() >= MAX_DIFFS) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>(Checks.keys(a));
      keys.addAll(Checks.keys(b));
      for (String k : keys) {
        diff(a.get(k), b.get(k), path + "." + k, out);
      }
    } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(a.get(i), b.get(i), path + "[" + i + "]", out);
      }
    } else if (!(a == null ? b == null : b != null && a.equals((x, y) -> compare(x, y), b))) {
      out.add(path + ": " + (a == null ? "<unset>" : a.toString()) + " -> " + (b == null ? "<unset>" : b.toString()));
    }
  }
}
