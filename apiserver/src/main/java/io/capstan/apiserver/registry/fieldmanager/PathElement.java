package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a field path: a field name ({@code f:}), a list item identified by its key fields
 * ({@code k:}), a set-list value ({@code v:}) or a list index ({@code i:}). Ordered as
 * structured-merge-diff orders them: names, then keys, then values, then indexes.
 */
public final class PathElement implements Comparable<PathElement> {
  /** The kinds of step, in sort order. */
  public enum Kind { FIELD, KEY, VALUE, INDEX }

  private static final ObjectMapper READER = new ObjectMapper();

  private final Kind kind;
  private final String name;
  private final List<Map.Entry<String, JsonNode>> key;
  private final JsonNode value;
  private final int index;

  private PathElement(Kind kind, String name, List<Map.Entry<String, JsonNode>> key, JsonNode value, int index) {
    this.kind = kind;
    this.name = name;
    this.key = key;
    this.value = value;
    this.index = index;
  }

  /** A field (struct field or map key). */
  public static PathElement field(String name) {
    return new PathElement(Kind.FIELD, Objects.requireNonNull(name), null, null, 0);
  }

  /** A map-list item identified by these key fields (sorted by name here). */
  public static PathElement key(Map<String, JsonNode> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one field");
    }
    List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>();
    fields.forEach((k, v) -> sorted.add(Map.entry(k, v)));
    sorted.sort((a, b) -> JsonValues.compareStrings(a.getKey(), b.getKey()));
    return new PathElement(Kind.KEY, null, List.copyOf(sorted), null, 0);
  }

  /** A set-list item. */
  public static PathElement value(JsonNode value) {
    return new PathElement(Kind.VALUE, null, null, Objects.requireNonNull(value), 0);
  }

  /** A list position (only for items of atomic parents). */
  public static PathElement index(int index) {
    return new PathElement(Kind.INDEX, null, null, null, index);
  }

  public Kind kind() {
    return kind;
  }

  /** The field name, for {@link Kind#FIELD}. */
  public String name() {
    return name;
  }

  /** The key fields sorted by name, for {@link Kind#KEY}. */
  public List<Map.Entry<String, JsonNode>> keyFields() {
    return key;
  }

  /** The value, for {@link Kind#VALUE}. */
  public JsonNode value() {
    return value;
  }

  public int index() {
    return index;
  }

  /** The FieldsV1 key: {@code f:name}, {@code k:{"name":"web"}}, {@code v:"x"}, {@code i:0}. */
  public String toFieldsV1() {
    return switch (kind) {
      case FIELD -> "f:" + name;
      case KEY -> "k:" + JsonValues.compact(keyObject());
      case VALUE -> "v:" + JsonValues.compact(value);
      case INDEX -> "i:" + index;
    };
  }

  /** Parses a FieldsV1 key; throws IllegalArgumentException when it is not one. */
  public static PathElement parseFieldsV1(String s) {
    if (s.length() < 2 || s.charAt(1) != ':') {
      throw new IllegalArgumentException("invalid FieldsV1 key: " + s);
    }
    String rest = s.substring(2);
    switch (s.charAt(0)) {
      case 'f':
        return field(rest);
      case 'i':
        try {
          return index(Integer.parseInt(rest));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid FieldsV1 index: " + s);
        }
      case 'v':
        return value(readJson(rest, s));
      case 'k': {
        JsonNode obj = readJson(rest, s);
        if (!obj.isObject() || obj.isEmpty()) {
          throw new IllegalArgumentException("invalid FieldsV1 key: " + s);
        }
        Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
        obj.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return key(fields);
      }
      default:
        throw new IllegalArgumentException("unknown FieldsV1 key type: " + s);
    }
  }

  private static JsonNode readJson(String text, String whole) {
    try {
      JsonNode n = READER.readTree(text);
      if (n == null || n.isMissingNode()) {
        throw new IllegalArgumentException("invalid FieldsV1 key: " + whole);
      }
      return n;
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid FieldsV1 key: " + whole);
    }
  }

  private ObjectNode keyObject() {
    ObjectNode o = JsonValues.NODES.objectNode();
    key.forEach(e -> o.set(e.getKey(), e.getValue()));
    return o;
  }

  /** As structured-merge-diff prints it: {@code .name}, {@code [name="web"]}, {@code [=x]}, {@code [0]}. */
  @Override
  public String toString() {
    return switch (kind) {
      case FIELD -> "." + name;
      case KEY -> {
        List<String> parts = new ArrayList<>();
        key.forEach(e -> parts.add(e.getKey() + "=" + JsonValues.display(e.getValue())));
        yield "[" + String.join(",", parts) + "]";
      }
      case VALUE -> "[=" + JsonValues.display(value) + "]";
      case INDEX -> "[" + index + "]";
    };
  }

  @Override
  public int compareTo(PathElement o) {
    if (kind != o.kind) {
      return Integer.compare(kind.ordinal(), o.kind.ordinal());
    }
    switch (kind) {
      case FIELD:
        return JsonValues.compareStrings(name, o.name);
      case VALUE:
        return JsonValues.compare(value, o.value);
      case INDEX:
        return Integer.compare(index, o.index);
      default: {
        Iterator<Map.Entry<String, JsonNode>> a = key.iterator();
        Iterator<Map.Entry<String, JsonNode>> b = o.key.iterator();
        while (a.hasNext() && b.hasNext()) {
          Map.Entry<String, JsonNode> x = a.next();
          Map.Entry<String, JsonNode> y = b.next();
          int c = JsonValues.compareStrings(x.getKey(), y.getKey());
          if (c == 0) {
            c = JsonValues.compare(x.getValue(), y.getValue());
          }
          if (c != 0) {
            return c;
          }
        }
        return Boolean.compare(a.hasNext(), b.hasNext());
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathElement p && compareTo(p) == 0;
  }

  @Override
  public int hashCode() {
    return switch (kind) {
      case FIELD -> name.hashCode();
      case INDEX -> 31 + index;
      case VALUE -> 17 + JsonValues.hash(value);
      case KEY -> {
        int h = 7;
        for (Map.Entry<String, JsonNode> e : key) {
          h = h * 31 + e.getKey().hashCode() * 13 + JsonValues.hash(e.getValue());
        }
        yield h;
      }
    };
  }

  /** A path as structured-merge-diff prints it, e.g. {@code .spec.containers[name="web"].image}. */
  public static String format(List<PathElement> path) {
    StringBuilder sb = new StringBuilder();
    path.forEach(sb::append);
    return sb.toString();
  }
}
