package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pruning as apiextensions-apiserver does it: object fields the schema does not specify (neither
 * a property nor covered by additionalProperties) are removed, except below {@code
 * x-kubernetes-preserve-unknown-fields: true}, where unknown fields stay and known ones are still
 * pruned inside. {@code apiVersion}, {@code kind} and {@code metadata} of the object (and of {@code
 * x-kubernetes-embedded-resource} objects) are never touched. The removed paths ({@code spec.foo},
 * {@code spec.items[0].bar}) come back sorted, for {@code unknown field "spec.foo"} warnings and
 * fieldValidation=Strict errors.
 */
public final class SchemaPruner {
  private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private SchemaPruner() {}

  /** Prunes custom object {@code obj} in place; returns the pruned field paths, sorted. */
  public static List<String> prune(ObjectNode obj, StructuralSchema schema) {
    List<String> pruned = new ArrayList<>();
    if (obj != null) {
      prune(obj, schema, true, "", pruned);
    }
    Collections.sort(pruned);
    return pruned;
  }

  /**
   * Prunes any value in place against {@code schema} (null: nothing specified), treating it as a
   * resource root when {@code resourceRoot}; returns the pruned paths relative to the value, sorted.
   */
  public static List<String> pruneValue(JsonNode value, StructuralSchema schema, boolean resourceRoot) {
    List<String> pruned = new ArrayList<>();
    prune(value, schema, resourceRoot, "", pruned);
    Collections.sort(pruned);
    return pruned;
  }

  private static void prune(JsonNode x, StructuralSchema s, boolean resourceRoot, String path, List<String> pruned) {
    if (s != null && s.preserveUnknownFields()) {
      skipPrune(x, s, resourceRoot, path, pruned);
      return;
    }
    boolean embedded = resourceRoot || (s != null && s.embeddedResource());
    if (x instanceof ObjectNode o) {
      List<String> remove = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) o::fields) {
        String k = e.getKey();
        if (embedded && META_FIELDS.contains(k)) {
          continue;
        }
        StructuralSchema p = s == null ? null : s.properties().get(k);
        if (p != null) {
          prune(e.getValue(), p, false, Paths.child(path, k), pruned);
        } else if (s != null && s.hasAdditionalProperties()) {
          prune(e.getValue(), s.additionalProperties(), false, Paths.child(path, k), pruned);
        } else {
          pruned.add(Paths.child(path, k));
          remove.add(k);
        }
      }
      o.remove(remove);
    } else if (x instanceof ArrayNode a) {
      StructuralSchema items = s == null ? null : s.items();
      for (int i = 0; i < a.size(); i++) {
        prune(a.get(i), items, false, Paths.index(path, i), pruned);
      }
    }
  }

  private static void skipPrune(JsonNode x, StructuralSchema s, boolean resourceRoot, String path, List<String> pruned) {
    boolean embedded = resourceRoot || s.embeddedResource();
    if (x instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) o::fields) {
        String k = e.getKey();
        if (embedded && META_FIELDS.contains(k)) {
          continue;
        }
        StructuralSchema p = s.properties().get(k);
        if (p != null) {
          prune(e.getValue(), p, false, Paths.child(path, k), pruned);
        } else if (s.hasAdditionalProperties()) {
          prune(e.getValue(), s.additionalProperties(), false, Paths.child(path, k), pruned);
        }
      }
    } else if (x instanceof ArrayNode a && s.items() != null) {
      for (int i = 0; i < a.size(); i++) {
        skipPrune(a.get(i), s.items(), false, Paths.index(path, i), pruned);
      }
    }
  }
}
