package io.capstan.apiserver.registry.patch;

import static io.capstan.apiserver.registry.patch.SmpNodes.PATCH;
import static io.capstan.apiserver.registry.patch.SmpNodes.bad;
import static io.capstan.apiserver.registry.patch.SmpNodes.noMergeKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.openapi.PatchMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The list half of the strategic merge patch: merging lists by merge key or as sets of scalars,
 * list items with {@code $patch}, {@code $setElementOrder/<field>} and {@code
 * $deleteFromPrimitiveList/<field>}, and the ordering rules of upstream's {@code
 * normalizeElementOrder}: items named by the patch (or by the order directive) in that order,
 * server-only items interleaved by their original positions.
 */
final class SmpLists {
  private SmpLists() {}

  /** Merges the patch list of a field into its current list, per the field's metadata. */
  static ArrayNode merge(ArrayNode current, ArrayNode patch, SmpSchema listSchema, PatchMetadata.Field meta,
      String path) {
    if (meta == null || !meta.merges()) {
      return (ArrayNode) SmpNodes.clean(patch, listSchema, path);
    }
    return mergeSlice(current, patch, listSchema.element(), key(meta), path);
  }

  private static ArrayNode mergeSlice(ArrayNode current, ArrayNode patch, SmpSchema element, String mergeKey,
      String path) {
    if (current.isEmpty() && patch.isEmpty()) {
      return current;
    }
    SmpNodes.Elements kind = SmpNodes.elements(current, patch);
    List<JsonNode> original = list(current);
    if (kind == SmpNodes.Elements.SCALARS) {
      List<JsonNode> merged = new ArrayList<>();
      for (JsonNode v : concat(original, list(patch))) {
        if (indexIn(merged, v, null) < 0) {
          merged.add(v.deepCopy());
        }
      }
      return order(merged, list(patch), original, null);
    }
    if (mergeKey == null) {
      throw bad("cannot merge lists without merge key for " + path);
    }
    List<JsonNode> plain = new ArrayList<>();
    boolean replace = false;
    for (JsonNode item : patch) {
      JsonNode directive = item.get(PATCH);
      if (directive == null) {
        plain.add(item);
        continue;
      }
      switch (directive.isTextual() ? directive.asText() : "") {
        case "delete" -> {
          JsonNode key = item.get(mergeKey);
          if (key == null) {
            throw noMergeKey(item, mergeKey);
          }
          original.removeIf(o -> SmpNodes.same(o.get(mergeKey), key));
        }
        case "replace" -> replace = true;
        case "merge" -> throw bad("merging lists cannot yet be specified in the patch (" + path + ")");
        default -> throw bad("unknown patch type: " + directive + " in map: " + item);
      }
    }
    if (replace) {
      original = new ArrayList<>();
      for (JsonNode item : plain) {
        original.add(SmpNodes.clean(item, element, path + "[]"));
      }
      plain = List.of();
    }
    List<JsonNode> merged = new ArrayList<>(original);
    for (JsonNode item : plain) {
      JsonNode key = item.get(mergeKey);
      if (key == null) {
        throw noMergeKey(item, mergeKey);
      }
      int i = indexIn(merged, item, mergeKey);
      String here = path + "[" + key + "]";
      if (i >= 0) {
        merged.set(i, StrategicMergePatch.mergeMap((ObjectNode) merged.get(i), (ObjectNode) item, element, here));
      } else {
        merged.add(SmpNodes.clean(item, element, here));
      }
    }
    return order(merged, plain, original, mergeKey);
  }

  /**
   * Applies {@code $setElementOrder/<field>} together with the patch list of that field, if any;
   * returns the field, which the caller must then not merge again.
   */
  static String setElementOrder(ObjectNode out, String directiveKey, JsonNode order, ObjectNode patch,
      SmpSchema schema, String path) {
    String field = SmpNodes.listField(directiveKey, SmpNodes.SET_ELEMENT_ORDER, SmpNodes.BAD_ELEMENT_ORDER);
    String here = SmpNodes.child(path, field);
    SmpSchema listSchema = schema.field(field);
    if (!order.isArray() || !listSchema.acceptsArray()) {
      throw bad(SmpNodes.BAD_ELEMENT_ORDER + ": " + directiveKey);
    }
    JsonNode current = out.get(field);
    if (current != null && current.isNull()) {
      current = null;
    }
    JsonNode patchList = patch.get(field);
    if ((current != null && !current.isArray()) || (patchList != null && !patchList.isArray())) {
      throw bad(SmpNodes.BAD_ELEMENT_ORDER + ": " + here + " is not a list");
    }
    PatchMetadata.Field meta = schema.meta(field);
    String mergeKey = key(meta);
    if (patchList != null) {
      validateOrder(patchList, order, mergeKey);
    }
    ArrayNode merged;
    if (current != null && patchList != null) {
      merged = merge((ArrayNode) current, (ArrayNode) patchList, listSchema, meta, here);
    } else if (current != null) {
      merged = (ArrayNode) current;
    } else if (patchList != null) {
      merged = (ArrayNode) SmpNodes.clean(patchList, listSchema, here);
    } else {
      return field;
    }
    List<JsonNode> original = current == null ? List.of() : list(current);
    SmpNodes.elements(original, patchList == null ? List.<JsonNode>of() : list(patchList));
    out.set(field, order(list(merged), list(order), original, mergeKey));
    return field;
  }

  /** The list without the values of {@code values} ({@code $deleteFromPrimitiveList}). */
  static ArrayNode deleteValues(ArrayNode list, ArrayNode values) {
    if (list.isEmpty() && values.isEmpty()) {
      return list;
    }
    if (SmpNodes.elements(list, values) == SmpNodes.Elements.OBJECTS) {
      throw bad(SmpNodes.BAD_PRIMITIVE_LIST);
    }
    List<JsonNode> gone = list(values);
    ArrayNode out = Json.NODES.arrayNode();
    for (JsonNode v : list) {
      if (indexIn(gone, v, null) < 0) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * The patch items, in the order of {@code patchOrder}, and the server-only ones, in the order of
   * {@code serverOrder}, interleaved: a server-only item goes before a patch item only when both
   * are in {@code serverOrder} and it comes first there.
   */
  private static ArrayNode order(List<JsonNode> merged, List<JsonNode> patchOrder, List<JsonNode> serverOrder,
      String mergeKey) {
    if (mergeKey != null) {
      for (List<JsonNode> l : List.of(merged, patchOrder, serverOrder)) {
        for (JsonNode v : l) {
          if (!v.isObject() || !v.has(mergeKey)) {
            throw noMergeKey(v, mergeKey);
          }
        }
      }
    }
    List<JsonNode> named = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode v : merged) {
      (indexIn(patchOrder, v, mergeKey) >= 0 ? named : serverOnly).add(v);
    }
    sortBy(named, patchOrder, mergeKey);
    sortBy(serverOnly, serverOrder, mergeKey);
    ArrayNode out = Json.NODES.arrayNode();
    int i = 0;
    int j = 0;
    while (i < serverOnly.size() || j < named.size()) {
      if (j >= named.size()) {
        out.add(serverOnly.get(i++));
      } else if (i >= serverOnly.size()) {
        out.add(named.get(j++));
      } else {
        int left = indexIn(serverOrder, serverOnly.get(i), mergeKey);
        int right = indexIn(serverOrder, named.get(j), mergeKey);
        out.add(left >= 0 && right >= 0 && left < right ? serverOnly.get(i++) : named.get(j++));
      }
    }
    return out;
  }

  /** Stable sort by position in {@code order}; items absent from it go last. */
  private static void sortBy(List<JsonNode> items, List<JsonNode> order, String mergeKey) {
    items.sort(Comparator.comparingInt(v -> {
      int i = indexIn(order, v, mergeKey);
      return i < 0 ? Integer.MAX_VALUE : i;
    }));
  }

  /**
   * Checks that the patch list names its items in the relative order of the {@code
   * $setElementOrder} list (deletions and directive items aside).
   */
  private static void validateOrder(JsonNode patchList, JsonNode order, String mergeKey) {
    if (order.isEmpty() || patchList.isEmpty()) {
      return;
    }
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode item : patchList) {
      if (mergeKey != null && !item.isObject()) {
        throw bad("expected a map in the list, but received " + item);
      }
      if (mergeKey == null || !"delete".equals(item.path(PATCH).asText(null))) {
        items.add(item);
      }
    }
    int p = 0;
    int s = 0;
    while (p < items.size() && s < order.size()) {
      JsonNode item = items.get(p);
      if (item.isObject() && item.has(PATCH)) {
        p++;
        continue;
      }
      if (sameKey(item, order.get(s), mergeKey)) {
        p++;
      }
      s++;
    }
    if (p < items.size()) {
      throw bad("The order in patch list: " + patchList + " doesn't match " + SmpNodes.SET_ELEMENT_ORDER
          + " list: " + order);
    }
  }

  private static boolean sameKey(JsonNode a, JsonNode b, String mergeKey) {
    if (mergeKey == null) {
      return SmpNodes.same(a, b);
    }
    for (JsonNode v : List.of(a, b)) {
      if (!v.isObject()) {
        throw bad("expected a map, but received " + v);
      }
      if (!v.has(mergeKey)) {
        throw noMergeKey(v, mergeKey);
      }
    }
    return SmpNodes.same(a.get(mergeKey), b.get(mergeKey));
  }

  /** Position of {@code v} in {@code list}: by merge key value, or by value when mergeKey is null. */
  private static int indexIn(List<JsonNode> list, JsonNode v, String mergeKey) {
    JsonNode probe = mergeKey == null ? v : v.get(mergeKey);
    for (int i = 0; i < list.size(); i++) {
      JsonNode w = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
      if (w != null && probe != null && SmpNodes.same(w, probe)) {
        return i;
      }
    }
    return -1;
  }

  private static String key(PatchMetadata.Field meta) {
    return meta == null || meta.mergeKey() == null || meta.mergeKey().isEmpty() ? null : meta.mergeKey();
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>(array.size());
    array.forEach(out::add);
    return out;
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
