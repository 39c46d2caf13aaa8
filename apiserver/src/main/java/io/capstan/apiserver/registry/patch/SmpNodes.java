package io.capstan.apiserver.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import java.util.Map;

/** Directive names, value helpers and errors of the strategic merge patch. */
final class SmpNodes {
  static final String PATCH = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";

  static final String BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
  static final String BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
  static final String BAD_ELEMENT_ORDER = "invalid patch format of setElementOrder list";

  /** What the elements of one or more lists are. */
  enum Elements { NONE, OBJECTS, SCALARS }

  private SmpNodes() {}

  /** The list field a {@code $setElementOrder/x} or {@code $deleteFromPrimitiveList/x} key names. */
  static String listField(String key, String prefix, String error) {
    int slash = key.indexOf('/');
    if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
      throw bad(error);
    }
    return key.substring(slash + 1);
  }

  /** Whether a patch key is one of the parallel-list directives or {@code $retainKeys}. */
  static boolean isParallelDirective(String key) {
    return key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST)
        || key.equals(RETAIN_KEYS);
  }

  /**
   * A value taken from the patch as it is (no original to merge with): null members are dropped,
   * objects that carry {@code $patch} vanish (null is returned for such a value), and parallel
   * directives are removed, so that no directive lands in the stored object. Checks the shape
   * against {@code schema} on the way. Never returns {@code value} itself.
   */
  static JsonNode clean(JsonNode value, SmpSchema schema, String path) {
    checkShape(value, schema, path);
    if (value.isObject()) {
      if (value.has(PATCH)) {
        return null;
      }
      ObjectNode out = Json.object();
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        String k = e.getKey();
        if (e.getValue().isNull() || isParallelDirective(k)) {
          continue;
        }
        checkKey(k, schema, path);
        JsonNode c = clean(e.getValue(), schema.field(k), child(path, k));
        if (c != null) {
          out.set(k, c);
        }
      }
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = Json.NODES.arrayNode();
      SmpSchema element = schema.element();
      for (JsonNode item : value) {
        JsonNode c = clean(item, element, path + "[]");
        if (c != null) {
          out.add(c);
        }
      }
      return out;
    }
    return value.deepCopy();
  }

  /** 400 when a patch value has the wrong JSON shape for its declared type. */
  static void checkShape(JsonNode value, SmpSchema schema, String path) {
    if (value.isArray() && !schema.acceptsArray()) {
      throw bad("malformed patch: " + where(path) + "expected an object (" + schema + "), but received a list");
    }
    if (value.isObject() && !schema.acceptsObject()) {
      throw bad("malformed patch: " + where(path) + "expected a list, but received an object");
    }
  }

  /** 400 for a {@code $}-key that is no directive and no field of the model class. */
  static void checkKey(String key, SmpSchema schema, String path) {
    if (key.startsWith("$") && !isParallelDirective(key) && !key.equals(PATCH) && schema.rejectsUnknown(key)) {
      throw bad("unknown strategic merge patch directive \"" + key + "\" in " + where(path).trim());
    }
  }

  /**
   * Equality of JSON values as the upstream Go code compares decoded values: integers equal
   * integers, floats equal floats, and an integer never equals a float.
   */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      if (a.isIntegralNumber() && b.isIntegralNumber()) {
        return a.bigIntegerValue().equals(b.bigIntegerValue());
      }
      if (!a.isIntegralNumber() && !b.isIntegralNumber()) {
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
      }
      return false;
    }
    return a.equals(b);
  }

  /** The element kind of lists that are to be merged: 422 for lists of lists, 400 when mixed. */
  static Elements elements(Iterable<JsonNode> first, Iterable<JsonNode> second) {
    Elements seen = Elements.NONE;
    for (Iterable<JsonNode> list : java.util.List.of(first, second)) {
      for (JsonNode v : list) {
        if (v.isArray()) {
          throw new ApiException(422, "Invalid", "lists of lists are not supported", null);
        }
        Elements e = v.isObject() ? Elements.OBJECTS : Elements.SCALARS;
        if (seen != Elements.NONE && seen != e) {
          throw bad("list element types are not identical: " + first + ", " + second);
        }
        seen = e;
      }
    }
    return seen;
  }

  /** The path of field {@code key} below {@code path}, for messages. */
  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static ApiException noMergeKey(JsonNode item, String mergeKey) {
    return bad("map: " + item + " does not contain declared merge key: " + mergeKey);
  }

  static ApiException bad(String message) {
    return StatusErrors.badRequest(message);
  }

  private static String where(String path) {
    return path.isEmpty() ? "" : "at " + path + ": ";
  }
}
