package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Uniqueness of {@code x-kubernetes-list-type: set} lists (whole items) and {@code map} lists (the
 * {@code x-kubernetes-list-map-keys} of each item): every repeated item is a Duplicate value at
 * its second appearance, as upstream reports it.
 */
final class ListTypes {
  private ListTypes() {}

  static List<FieldError> validate(JsonNode obj, StructuralSchema s) {
    List<FieldError> errs = new ArrayList<>();
    if (obj != null && obj.isObject()) {
      object(null, s, obj, errs);
    }
    return errs;
  }

  private static void object(String path, StructuralSchema s, JsonNode obj, List<FieldError> errs) {
    if (s == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      StructuralSchema p = s.properties().get(e.getKey());
      if (p != null) {
        any(Paths.child(path, e.getKey()), p, e.getValue(), errs);
      } else if (s.additionalProperties() != null) {
        any(Paths.key(path, e.getKey()), s.additionalProperties(), e.getValue(), errs);
      }
    }
  }

  private static void any(String path, StructuralSchema s, JsonNode v, List<FieldError> errs) {
    if (v.isArray()) {
      array(path, s, v, errs);
    } else if (v.isObject()) {
      object(path, s, v, errs);
    }
  }

  private static void array(String path, StructuralSchema s, JsonNode list, List<FieldError> errs) {
    if ("set".equals(s.listType())) {
      List<String> keys = new ArrayList<>();
      list.forEach(x -> keys.add(canonical(x)));
      for (int i : duplicates(keys)) {
        errs.add(FieldError.duplicate(Paths.index(path, i), SchemaFormats.badValue(list.get(i))));
      }
    } else if ("map".equals(s.listType())) {
      map(path, s, list, errs);
    }
    if (s.items() != null) {
      for (int i = 0; i < list.size(); i++) {
        any(Paths.index(path, i), s.items(), list.get(i), errs);
      }
    }
  }

  private static void map(String path, StructuralSchema s, JsonNode list, List<FieldError> errs) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode x = list.get(i);
      if (!x.isNull() && !x.isObject()) {
        errs.add(FieldError.invalid(Paths.index(path, i), SchemaFormats.badValue(x),
            "must be an object for an array of list-type map"));
        return;
      }
    }
    List<ObjectNode> shown = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (JsonNode x : list) {
      ObjectNode key = JsonNodeFactory.instance.objectNode();
      for (String k : s.listMapKeys()) {
        if (x.isObject() && x.has(k)) {
          key.set(k, x.get(k));
        }
      }
      shown.add(key);
      keys.add(canonical(key));
    }
    for (int i : duplicates(keys)) {
      errs.add(FieldError.duplicate(Paths.index(path, i), shown.get(i)));
    }
  }

  /** The index of the second appearance of every value seen more than once. */
  private static List<Integer> duplicates(List<String> keys) {
    Map<String, Integer> seen = new HashMap<>();
    List<Integer> dups = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      int times = seen.merge(keys.get(i), 1, Integer::sum);
      if (times == 2) {
        dups.add(i);
      }
    }
    return dups;
  }

  /** A comparison key: JSON with sorted object keys, numbers by value, types kept apart. */
  private static String canonical(JsonNode v) {
    if (v.isObject()) {
      TreeMap<String, String> sorted = new TreeMap<>();
      v.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      StringBuilder sb = new StringBuilder("{");
      sorted.forEach((k, x) -> sb.append(Run.quote(k)).append(':').append(x).append(','));
      return sb.append('}').toString();
    }
    if (v.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      v.forEach(x -> sb.append(canonical(x)).append(','));
      return sb.append(']').toString();
    }
    if (v.isNumber()) {
      return (v.isIntegralNumber() ? "i" : "f") + v.decimalValue().stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }
}
