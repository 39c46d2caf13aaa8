package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields that differ between two versions of an object, as structured-merge-diff's Compare:
 * leaves (scalars, atomic values, empty maps/lists) are added, removed or modified; a map or list
 * item is added or removed with everything below it, but never "modified" itself.
 *
 * @param added fields only the new object has
 * @param modified leaves present in both with different values
 * @param removed fields only the old object has
 */
record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {

  /** Compares {@code oldObj} to {@code newObj} (either may be null: absent). */
  static Comparison of(JsonNode oldObj, JsonNode newObj, Schema schema) {
    Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
    c.walk(oldObj, newObj, schema, new ArrayList<>());
    return c;
  }

  /** This comparison without the ignored fields and everything below them. */
  Comparison excluding(FieldSet ignored) {
    if (ignored.isEmpty()) {
      return this;
    }
    return new Comparison(added.recursiveDifference(ignored), modified.recursiveDifference(ignored),
        removed.recursiveDifference(ignored));
  }

  /** Fields whose value the new object sets differently: modified and added. */
  FieldSet changed() {
    return modified.union(added);
  }

  boolean isSame() {
    return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
  }

  private void walk(JsonNode l, JsonNode r, Schema s, List<PathElement> path) {
    Typed.Shape shape = Typed.shape(s, l, r);
    List<PathElement> lPes = null;
    List<PathElement> rPes = null;
    if (shape != Typed.Shape.LEAF && Typed.emptyOrNull(l) && Typed.emptyOrNull(r)) {
      shape = Typed.Shape.LEAF;
    }
    if (shape == Typed.Shape.LIST) {
      lPes = Typed.itemElements(s, l);
      rPes = Typed.itemElements(s, r);
      if (lPes == null || rPes == null) {
        shape = Typed.Shape.LEAF;
      }
    }
    if (shape == Typed.Shape.LEAF) {
      if (l == null) {
        added.insert(path);
      } else if (r == null) {
        removed.insert(path);
      } else if (!JsonValues.equal(l, r)) {
        modified.insert(path);
      }
      return;
    }
    if (shape == Typed.Shape.MAP) {
      Set<String> keys = new LinkedHashSet<>();
      if (l != null && l.isObject()) {
        l.fieldNames().forEachRemaining(keys::add);
      }
      if (r != null && r.isObject()) {
        r.fieldNames().forEachRemaining(keys::add);
      }
      for (String k : keys) {
        path.add(PathElement.field(k));
        walk(l == null ? null : l.get(k), r == null ? null : r.get(k), s.field(k), path);
        path.remove(path.size() - 1);
      }
    } else {
      walkItems(l, r, lPes, rPes, s, path);
    }
    if (l == null) {
      added.insert(path);
    } else if (r == null) {
      removed.insert(path);
    }
  }

  private void walkItems(JsonNode l, JsonNode r, List<PathElement> lPes, List<PathElement> rPes, Schema s,
      List<PathElement> path) {
    Map<PathElement, List<JsonNode>> left = group(l, lPes);
    Map<PathElement, List<JsonNode>> right = group(r, rPes);
    Set<PathElement> all = new LinkedHashSet<>(left.keySet());
    all.addAll(right.keySet());
    Schema elem = s.element();
    for (PathElement pe : all) {
      List<JsonNode> ll = left.getOrDefault(pe, List.of());
      List<JsonNode> rl = right.getOrDefault(pe, List.of());
      path.add(pe);
      if (ll.size() <= 1 && rl.size() <= 1) {
        walk(ll.isEmpty() ? null : ll.get(0), rl.isEmpty() ? null : rl.get(0), elem, path);
      } else if (ll.size() >= 2 && rl.size() >= 2) {
        if (!sameItems(ll, rl)) {
          modified.insert(path);
        }
      } else if (ll.size() >= 2) {
        if (rl.size() == 1) {
          walk(null, rl.get(0), elem, path);
        }
        removed.insert(path);
      } else {
        if (ll.size() == 1) {
          walk(ll.get(0), null, elem, path);
        }
        added.insert(path);
      }
      path.remove(path.size() - 1);
    }
  }

  private static Map<PathElement, List<JsonNode>> group(JsonNode array, List<PathElement> pes) {
    Map<PathElement, List<JsonNode>> out = new LinkedHashMap<>();
    for (int i = 0; i < pes.size(); i++) {
      out.computeIfAbsent(pes.get(i), k -> new ArrayList<>()).add(array.get(i));
    }
    return out;
  }

  private static boolean sameItems(List<JsonNode> a, List<JsonNode> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!JsonValues.equal(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
