package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Value semantics the field manager needs on JSON trees: equality, a total order, printing. */
final class JsonValues {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private JsonValues() {}

  /** Deep equality where numbers compare by value (1 equals 1.0) and key order does not matter. */
  static boolean equal(JsonNode a, JsonNode b) {
    return io.capstan.apiserver.json.Json.equalValues(a, b);
  }

  /** A hash consistent with {@link #equal}. */
  static int hash(JsonNode n) {
    if (n == null || n.isNull()) {
      return 0;
    }
    if (n.isNumber()) {
      return n.decimalValue().stripTrailingZeros().hashCode();
    }
    if (n.isObject()) {
      int h = 1;
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        h += e.getKey().hashCode() ^ hash(e.getValue());
      }
      return h;
    }
    if (n.isArray()) {
      int h = 2;
      for (JsonNode item : n) {
        h = h * 31 + hash(item);
      }
      return h;
    }
    return n.hashCode();
  }

  /** A total order over values: numbers, then strings, booleans, lists, maps, null last. */
  static int compare(JsonNode a, JsonNode b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    switch (ra) {
      case 0:
        return a.decimalValue().compareTo(b.decimalValue());
      case 1:
        return compareStrings(a.textValue(), b.textValue());
      case 2:
        return Boolean.compare(a.booleanValue(), b.booleanValue());
      case 3: {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          int c = compare(a.get(i), b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      }
      case 4: {
        List<Map.Entry<String, JsonNode>> la = sortedEntries(a);
        List<Map.Entry<String, JsonNode>> lb = sortedEntries(b);
        for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
          int c = compareStrings(la.get(i).getKey(), lb.get(i).getKey());
          if (c == 0) {
            c = compare(la.get(i).getValue(), lb.get(i).getValue());
          }
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(la.size(), lb.size());
      }
      default:
        return 0;
    }
  }

  /** Byte order of the UTF-8 encodings (what Go's string comparison gives). */
  static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  private static int rank(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return 5;
    }
    if (n.isNumber()) {
      return 0;
    }
    if (n.isTextual()) {
      return 1;
    }
    if (n.isBoolean()) {
      return 2;
    }
    return n.isArray() ? 3 : 4;
  }

  private static List<Map.Entry<String, JsonNode>> sortedEntries(JsonNode obj) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    obj.fields().forEachRemaining(out::add);
    out.sort((x, y) -> compareStrings(x.getKey(), y.getKey()));
    return out;
  }

  /** A copy of the value without explicit nulls inside objects (how a typed round trip drops them). */
  static JsonNode withoutNulls(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isObject()) {
      ObjectNode out = NODES.objectNode();
      n.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          out.set(e.getKey(), withoutNulls(e.getValue()));
        }
      });
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = NODES.arrayNode();
      n.forEach(item -> out.add(withoutNulls(item)));
      return out;
    }
    return n;
  }

  /** Compact JSON of the value. */
  static String compact(JsonNode n) {
    try {
      return COMPACT.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy with every object's keys sorted, so that {@link #compact} prints as Go's encoder does. */
  static JsonNode sortedKeys(JsonNode n) {
    if (n.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>(JsonValues::compareStrings);
      n.fields().forEachRemaining(e -> sorted.put(e.getKey(), sortedKeys(e.getValue())));
      ObjectNode out = NODES.objectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = NODES.arrayNode();
      n.forEach(item -> out.add(sortedKeys(item)));
      return out;
    }
    return n;
  }

  /** A string quoted as Go's %q prints it (close enough: JSON string escaping). */
  static String quote(String s) {
    return new TextNode(s).toString();
  }

  /** A value as structured-merge-diff prints it in paths: strings quoted, others plain. */
  static String display(JsonNode n) {
    if (n == null || n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      return quote(n.textValue());
    }
    if (n.isArray()) {
      List<String> parts = new ArrayList<>();
      n.forEach(item -> parts.add(display(item)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (n.isObject()) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : sortedEntries(n)) {
        parts.add(e.getKey() + "=" + display(e.getValue()));
      }
      return "{" + String.join(", ", parts) + "}";
    }
    return n.asText();
  }
}
