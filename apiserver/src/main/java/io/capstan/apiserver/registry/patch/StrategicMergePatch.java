package io.capstan.apiserver.registry.patch;

import static io.capstan.apiserver.registry.patch.SmpNodes.DELETE_FROM_PRIMITIVE_LIST;
import static io.capstan.apiserver.registry.patch.SmpNodes.PATCH;
import static io.capstan.apiserver.registry.patch.SmpNodes.RETAIN_KEYS;
import static io.capstan.apiserver.registry.patch.SmpNodes.SET_ELEMENT_ORDER;
import static io.capstan.apiserver.registry.patch.SmpNodes.bad;
import static io.capstan.apiserver.registry.patch.SmpNodes.child;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), with the semantics of
 * Kubernetes' {@code k8s.io/apimachinery/pkg/util/strategicpatch} as kube-apiserver applies it
 * (server side: parallel lists merged, unmatched nulls ignored). A pure function over JSON trees;
 * the model class of the kind says, at each path, which patch metadata ({@link
 * io.capstan.apiserver.openapi.PatchMetadata}, the table the served OpenAPI publishes) applies.
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li><b>Maps</b> merge recursively; a {@code null} value deletes the key. A value with no
 *       counterpart in the original (or of another JSON type) is taken as it is, minus its null
 *       members and directives; a map carrying {@code $patch} there vanishes.
 *   <li><b>{@code $patch: replace}</b> in a map replaces the original map by the rest of the patch
 *       map; <b>{@code $patch: delete}</b> turns it into an empty map (as upstream). Any other
 *       {@code $patch} value in a map, {@code merge} included, is a 400.
 *   <li><b>Lists whose strategy is not {@code merge}</b> (e.g. {@code tolerations}, {@code args})
 *       are replaced whole.
 *   <li><b>Merging lists of objects</b> (containers by {@code name}, container ports by {@code
 *       containerPort}, service ports by {@code port}, conditions by {@code type}, …): a patch item
 *       merges (recursively, with these same rules) into the original item with the same merge key
 *       value, or is added; {@code {"$patch":"delete", <key>: v}} removes the items with that key;
 *       a {@code {"$patch":"replace"}} item makes the list exactly the other patch items; {@code
 *       $patch: merge} items are a 400. Patch items lacking the merge key are a 400.
 *   <li><b>Merging lists of scalars</b> ({@code metadata.finalizers}) are a set union. {@code
 *       $deleteFromPrimitiveList/<field>: [v…]} removes those values from any primitive list.
 *   <li><b>Order</b>: without {@code $setElementOrder}, items named by the patch take the patch's
 *       order and the other (server-only) items are interleaved by their original positions, so an
 *       item new to the list comes first (upstream's {@code mergeSortedSlice}). With {@code
 *       $setElementOrder/<field>: [...]} the items it names take its order, server-only items keep
 *       their relative place; the directive adds and removes nothing, and the patch list must list
 *       its items in the same relative order (else 400).
 *   <li><b>{@code $retainKeys: [..]}</b> in a map removes every original key it does not list;
 *       a patch key (with a non-null value) missing from it is a 400.
 *   <li><b>Errors</b>: a patch that is not an object, malformed directives, a list where the model
 *       has a map or struct (or the reverse), a {@code $}-key that is neither a directive nor a
 *       field of the model class → 400 BadRequest; lists of lists → 422.
 * </ul>
 *
 * <p>With {@code model == null} (a kind without Fabric8 model, such as a custom resource, which
 * upstream refuses SMP for with 415 — a decision for the caller), no list has a merge strategy: the
 * patch acts as a JSON merge patch (RFC 7386) that also honours the map directives above.
 *
 * <p>Deviations from upstream, deliberate: errors upstream reports as 500 (missing merge key,
 * unknown {@code $patch} value, mismatched element order) are 400 here, as is a shape mismatch
 * that upstream reports as 422 when converting the result to the typed object; values taken from
 * the patch are cleaned of nulls and directives here, where upstream leaves that to the typed
 * conversion; {@code $deleteFromPrimitiveList} runs after the other keys of its map (upstream's
 * order is that of Go map iteration).
 */
public final class StrategicMergePatch {
  private StrategicMergePatch() {}

  /**
   * The result of applying {@code patch} to {@code original} (neither is changed).
   *
   * @param original the current object, as JSON
   * @param patch the strategic merge patch; must be a JSON object
   * @param model the Fabric8 model class of the kind (e.g. {@code Deployment.class}), or null
   * @throws io.capstan.apiserver.errors.ApiException 400 for a malformed patch, 422 for lists of lists
   */
  public static ObjectNode apply(ObjectNode original, JsonNode patch, Class<?> model) {
    if (patch == null || !patch.isObject()) {
      throw bad("invalid JSON document: a strategic merge patch must be a JSON object, not "
          + (patch == null ? "nothing" : patch.getNodeType().toString().toLowerCase()));
    }
    SmpSchema root = model == null ? SmpSchema.FREE : SmpSchema.of(model);
    ObjectNode work = original == null ? Json.object() : original.deepCopy();
    return mergeMap(work, (ObjectNode) patch, root, "");
  }

  /** Merges {@code patch} into {@code original} (changed in place) and returns the result. */
  static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, SmpSchema schema, String path) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      String d = directive.isTextual() ? directive.asText() : "";
      if (d.equals("replace")) {
        ObjectNode rest = patch.deepCopy();
        rest.remove(PATCH);
        return (ObjectNode) SmpNodes.clean(rest, schema, path);
      }
      if (d.equals("delete")) {
        return Json.object();
      }
      throw bad("unknown patch type: " + directive + " in map: " + patch);
    }
    ObjectNode out = original == null ? Json.object() : original;
    retainKeys(out, patch);

    Set<String> ordered = new HashSet<>();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getKey().startsWith(SET_ELEMENT_ORDER)) {
        ordered.add(SmpLists.setElementOrder(out, e.getKey(), e.getValue(), patch, schema, path));
      }
    }

    List<Map.Entry<String, JsonNode>> deletions = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      if (k.startsWith(SET_ELEMENT_ORDER) || k.equals(RETAIN_KEYS) || ordered.contains(k)) {
        continue;
      }
      if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deletions.add(e);
        continue;
      }
      SmpNodes.checkKey(k, schema, path);
      mergeField(out, k, e.getValue(), schema, path);
    }
    for (Map.Entry<String, JsonNode> e : deletions) {
      deleteFromPrimitiveList(out, e.getKey(), e.getValue());
    }
    return out;
  }

  /** Merges the patch value {@code value} of key {@code key} into {@code out}. */
  private static void mergeField(ObjectNode out, String key, JsonNode value, SmpSchema schema, String path) {
    String here = child(path, key);
    if (value.isNull()) {
      out.remove(key);
      return;
    }
    SmpSchema fieldSchema = schema.field(key);
    SmpNodes.checkShape(value, fieldSchema, here);
    JsonNode current = out.get(key);
    if (current == null || !sameContainerType(current, value)) {
      JsonNode taken = SmpNodes.clean(value, fieldSchema, here);
      if (taken == null) {
        out.remove(key);
      } else {
        out.set(key, taken);
      }
    } else if (value.isObject()) {
      out.set(key, mergeMap((ObjectNode) current, (ObjectNode) value, fieldSchema, here));
    } else if (value.isArray()) {
      out.set(key, SmpLists.merge((ArrayNode) current, (ArrayNode) value, fieldSchema, schema.meta(key), here));
    } else {
      out.set(key, value.deepCopy());
    }
  }

  /** Whether two values are both objects, both arrays, or both non-null scalars. */
  private static boolean sameContainerType(JsonNode a, JsonNode b) {
    if (a.isNull()) {
      return false;
    }
    JsonNodeType ta = a.isContainerNode() ? a.getNodeType() : JsonNodeType.STRING;
    JsonNodeType tb = b.isContainerNode() ? b.getNodeType() : JsonNodeType.STRING;
    return ta == tb;
  }

  /** Applies {@code $retainKeys} of {@code patch}: original keys it does not list are removed. */
  private static void retainKeys(ObjectNode out, ObjectNode patch) {
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw bad(SmpNodes.BAD_RETAIN_KEYS);
    }
    Set<String> keep = new HashSet<>();
    for (JsonNode k : retain) {
      if (k.isTextual()) {
        keep.add(k.asText());
      }
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      if (e.getValue().isNull() || SmpNodes.isParallelDirective(k)) {
        continue;
      }
      if (!keep.contains(k)) {
        throw bad(SmpNodes.BAD_RETAIN_KEYS + ": \"" + k + "\" is patched but not retained");
      }
    }
    out.retain(keep);
  }

  /** Applies {@code $deleteFromPrimitiveList/<field>: [values]} to {@code out}. */
  private static void deleteFromPrimitiveList(ObjectNode out, String key, JsonNode values) {
    String field = SmpNodes.listField(key, DELETE_FROM_PRIMITIVE_LIST, SmpNodes.BAD_PRIMITIVE_LIST);
    if (values.isNull()) {
      out.remove(field);
      return;
    }
    if (!values.isArray()) {
      throw bad(SmpNodes.BAD_PRIMITIVE_LIST);
    }
    JsonNode current = out.get(field);
    if (current instanceof ArrayNode list) {
      out.set(field, SmpLists.deleteValues(list, (ArrayNode) values));
    }
  }
}
