package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an applied configuration into the live object the way server-side apply does: maps and
 * structs merge field by field, associative lists merge item by item (by key or by value),
 * everything else (scalars, atomic values) is replaced by the configuration's value.
 *
 * <p>Order of a merged list: the configuration's items keep the configuration's order; live items
 * the configuration does not mention stay where they were relative to the items around them.
 */
final class Merger {
  private Merger() {}

  /** The merge of {@code config} into {@code live} (either may be null: absent); inputs are not changed. */
  static JsonNode merge(JsonNode live, JsonNode config, Schema s) {
    if (config == null) {
      return live == null ? null : live.deepCopy();
    }
    if (live == null) {
      return config.deepCopy();
    }
    Typed.Shape shape = Typed.shape(s, live, config);
    if (shape == Typed.Shape.LEAF || (Typed.emptyOrNull(live) && Typed.emptyOrNull(config))) {
      return config.deepCopy();
    }
    if (shape == Typed.Shape.MAP) {
      if (!live.isObject()) {
        return config.deepCopy();
      }
      ObjectNode out = JsonValues.NODES.objectNode();
      live.fields().forEachRemaining(e -> {
        JsonNode m = merge(e.getValue(), config.isObject() ? config.get(e.getKey()) : null, s.field(e.getKey()));
        if (m != null) {
          out.set(e.getKey(), m);
        }
      });
      if (config.isObject()) {
        config.fields().forEachRemaining(e -> {
          if (!out.has(e.getKey()) && !live.has(e.getKey())) {
            out.set(e.getKey(), e.getValue().deepCopy());
          }
        });
      }
      return out;
    }
    if (!live.isArray()) {
      return config.deepCopy();
    }
    if (!config.isArray()) {
      return live.deepCopy();
    }
    return mergeItems((ArrayNode) live, (ArrayNode) config, s);
  }

  private static JsonNode mergeItems(ArrayNode live, ArrayNode config, Schema s) {
    List<PathElement> lPes = Typed.itemElements(s, live);
    List<PathElement> rPes = Typed.itemElements(s, config);
    if (lPes == null || rPes == null) {
      return config.deepCopy();
    }
    Map<PathElement, JsonNode> rItems = new HashMap<>();
    for (int i = 0; i < rPes.size(); i++) {
      rItems.putIfAbsent(rPes.get(i), config.get(i));
    }
    Map<PathElement, JsonNode> lItems = new HashMap<>();
    Set<PathElement> lDuplicated = new HashSet<>();
    for (int i = 0; i < lPes.size(); i++) {
      if (lItems.putIfAbsent(lPes.get(i), live.get(i)) != null) {
        lDuplicated.add(lPes.get(i));
      }
    }
    Deque<PathElement> shared = new ArrayDeque<>();
    for (PathElement pe : rPes) {
      if (lItems.containsKey(pe)) {
        shared.add(pe);
      }
    }
    Schema elem = s.element();
    ArrayNode out = JsonValues.NODES.arrayNode();
    Set<PathElement> done = new HashSet<>();
    int i = 0;
    int j = 0;
    while (i < lPes.size() || j < rPes.size()) {
      if (i < lPes.size()) {
        PathElement pe = lPes.get(i);
        if (!rItems.containsKey(pe)) {
          out.add(live.get(i).deepCopy());
          i++;
          continue;
        }
        if (done.contains(pe)) {
          i++;
          continue;
        }
        if (j < rPes.size() && rPes.get(j).equals(pe)) {
          out.add(mergeItem(pe, lItems, lDuplicated, rItems, elem));
          done.add(pe);
          shared.remove(pe);
          i++;
          j++;
          continue;
        }
        if (!shared.isEmpty() && !shared.peekFirst().equals(pe)) {
          // a shared item that comes later in the configuration: it is placed when we reach it there
          i++;
          continue;
        }
      }
      if (j < rPes.size()) {
        PathElement pe = rPes.get(j);
        if (done.add(pe)) {
          out.add(mergeItem(pe, lItems, lDuplicated, rItems, elem));
        }
        shared.remove(pe);
        j++;
        continue;
      }
      i++;
    }
    return out;
  }

  private static JsonNode mergeItem(PathElement pe, Map<PathElement, JsonNode> lItems, Set<PathElement> lDuplicated,
      Map<PathElement, JsonNode> rItems, Schema elem) {
    JsonNode l = lDuplicated.contains(pe) ? null : lItems.get(pe);
    return merge(l, rItems.get(pe), elem);
  }
}
