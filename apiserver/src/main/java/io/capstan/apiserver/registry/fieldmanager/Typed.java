package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks of a JSON value alongside its {@link Schema}: the path element of a list item, the field
 * set a value sets, removing paths, and validating an applied configuration.
 */
final class Typed {
  /** How a position is walked: as one value, as a map of fields, or as a list of identified items. */
  enum Shape { LEAF, MAP, LIST }

  /** Struct fields that Go always serializes (non-pointer structs), as seen in a zero object. */
  private static final Set<String> ALWAYS_PRESENT_STRUCTS =
      Set.of("metadata", "spec", "status", "template", "strategy", "updateStrategy", "jobTemplate", "resources");
  /** {@link #zeroObject} per root schema (schemas are built once per model class). */
  private static final Map<Schema, ObjectNode> ZEROS = new ConcurrentHashMap<>();

  private Typed() {}

  /** The shape to walk {@code l} and {@code r} (either may be absent: null) at this schema. */
  static Shape shape(Schema s, JsonNode l, JsonNode r) {
    switch (s.kind()) {
      case STRUCT:
      case MAP:
        return !s.atomic() && objectOrNull(l) && objectOrNull(r) ? Shape.MAP : Shape.LEAF;
      case LIST:
        return s.associative() && arrayOrNull(l) && arrayOrNull(r) ? Shape.LIST : Shape.LEAF;
      case DEDUCED:
        return (l == null || l.isObject()) && (r == null || r.isObject()) ? Shape.MAP : Shape.LEAF;
      default:
        return Shape.LEAF;
    }
  }

  private static boolean objectOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isObject();
  }

  private static boolean arrayOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isArray();
  }

  static boolean emptyOrNull(JsonNode n) {
    return n == null || n.isNull() || (n.isContainerNode() && n.isEmpty());
  }

  /** The schema below one path element. */
  static Schema child(Schema s, PathElement pe) {
    return pe.kind() == PathElement.Kind.FIELD ? s.field(pe.name()) : s.element();
  }

  /** The element identifying a list item of an associative list; IllegalArgumentException if none. */
  static PathElement itemElement(Schema list, JsonNode item) {
    if (!list.keys().isEmpty()) {
      if (item == null || item.isNull()) {
        throw new IllegalArgumentException("associative list with keys may not have a null element");
      }
      if (!item.isObject()) {
        throw new IllegalArgumentException("associative list with keys may not have non-map elements");
      }
      Map<String, JsonNode> key = new LinkedHashMap<>();
      for (String k : list.keys()) {
        JsonNode v = item.get(k);
        if (v != null) {
          key.put(k, v);
        } else if (Schema.keyDefault(k) != null) {
          key.put(k, TextNode.valueOf(Schema.keyDefault(k)));
        }
      }
      if (key.isEmpty()) {
        List<String> quoted = list.keys().stream().map(JsonValues::quote).toList();
        throw new IllegalArgumentException("associative list with keys has an element that omits all key fields ["
            + String.join(" ", quoted) + "] (and doesn't have default values for any key fields)");
      }
      return PathElement.key(key);
    }
    if (item == null || item.isNull()) {
      throw new IllegalArgumentException("associative list without keys has an element that's an explicit null");
    }
    if (item.isObject()) {
      throw new IllegalArgumentException("associative list without keys has an element that's a map type");
    }
    if (item.isArray()) {
      throw new IllegalArgumentException("not supported: associative list with lists as elements");
    }
    return PathElement.value(item);
  }

  /** The elements of all items, or null when some item cannot be identified. */
  static List<PathElement> itemElements(Schema list, JsonNode array) {
    List<PathElement> out = new ArrayList<>();
    if (array == null || !array.isArray()) {
      return out;
    }
    for (JsonNode item : array) {
      try {
        out.add(itemElement(list, item));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  /** The fields a value sets, as structured-merge-diff's ToFieldSet. */
  static FieldSet toFieldSet(JsonNode value, Schema s) {
    FieldSet out = new FieldSet();
    collect(value, s, new ArrayList<>(), out);
    return out;
  }

  private static void collect(JsonNode v, Schema s, List<PathElement> path, FieldSet out) {
    Shape shape = shape(s, v, v);
    if (shape == Shape.LEAF) {
      if (s.kind() == Schema.Kind.LIST && s.associative() && (v == null || v.isNull() || v.isArray())) {
        return;
      } else if ((s.kind() == Schema.Kind.STRUCT || s.kind() == Schema.Kind.MAP || s.kind() == Schema.Kind.DEDUCED)
          && !s.atomic() && (v == null || v.isNull())) {
        return;
      } else {
        out.insert(path);
      }
      return;
    }
    if (shape == Shape.MAP) {
      if (v == null || !v.isObject()) {
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        path.add(PathElement.field(e.getKey()));
        collect(e.getValue(), s.field(e.getKey()), path, out);
        JsonNode cv = e.getValue();
        if (cv.isNull() || (cv.isObject() && cv.isEmpty()) || !s.isNamedField(e.getKey())) {
          out.insert(path);
        }
        path.remove(path.size() - 1);
      }
      return;
    }
    if (v == null || !v.isArray()) {
      return;
    }
    Map<PathElement, Integer> seen = new LinkedHashMap<>();
    for (JsonNode item : v) {
      try {
        seen.merge(itemElement(s, item), 1, Integer::sum);
      } catch (IllegalArgumentException e) {
        // unidentifiable items own nothing
      }
    }
    Schema elem = s.element();
    for (JsonNode item : v) {
      PathElement pe;
      try {
        pe = itemElement(s, item);
      } catch (IllegalArgumentException e) {
        continue;
      }
      path.add(pe);
      if (seen.get(pe) == 1) {
        collect(item, elem, path, out);
      }
      out.insert(path);
      path.remove(path.size() - 1);
    }
  }

  /** {@code set} plus the named struct fields on the way to its members (so that they count as owned). */
  static FieldSet ensureNamedFieldsAreMembers(FieldSet set, Schema s) {
    FieldSet out = new FieldSet();
    ensure(set, s, new ArrayList<>(), out);
    return out;
  }

  private static void ensure(FieldSet set, Schema s, List<PathElement> prefix, FieldSet out) {
    for (PathElement pe : set.members()) {
      prefix.add(pe);
      out.insert(prefix);
      prefix.remove(prefix.size() - 1);
    }
    set.children().forEach((pe, c) -> {
      prefix.add(pe);
      if (pe.kind() == PathElement.Kind.FIELD && s.isNamedField(pe.name())) {
        out.insert(prefix);
      }
      ensure(c, child(s, pe), prefix, out);
      prefix.remove(prefix.size() - 1);
    });
  }

  /** Removes every member path of {@code set} (with what is below it) from {@code node}. */
  static void removeItems(JsonNode node, FieldSet set, Schema s) {
    set.children().forEach((pe, c) -> {
      if (!set.members().contains(pe)) {
        for (JsonNode target : find(node, pe, s)) {
          removeItems(target, c, child(s, pe));
        }
      }
    });
    for (PathElement pe : set.members()) {
      removeOne(node, pe, s);
    }
  }

  private static List<JsonNode> find(JsonNode node, PathElement pe, Schema s) {
    List<JsonNode> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    switch (pe.kind()) {
      case FIELD -> {
        if (node.isObject() && node.get(pe.name()) != null) {
          out.add(node.get(pe.name()));
        }
      }
      case INDEX -> {
        if (node.isArray() && pe.index() < node.size()) {
          out.add(node.get(pe.index()));
        }
      }
      default -> {
        if (node.isArray()) {
          for (JsonNode item : node) {
            if (identifies(s, item, pe)) {
              out.add(item);
            }
          }
        }
      }
    }
    return out;
  }

  private static void removeOne(JsonNode node, PathElement pe, Schema s) {
    if (node instanceof ObjectNode o && pe.kind() == PathElement.Kind.FIELD) {
      o.remove(pe.name());
    } else if (node instanceof ArrayNode a) {
      if (pe.kind() == PathElement.Kind.INDEX) {
        if (pe.index() < a.size()) {
          a.remove(pe.index());
        }
        return;
      }
      for (int i = a.size() - 1; i >= 0; i--) {
        if (identifies(s, a.get(i), pe)) {
          a.remove(i);
        }
      }
    }
  }

  private static boolean identifies(Schema list, JsonNode item, PathElement pe) {
    try {
      return itemElement(list, item).equals(pe);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * What a zero-valued object of the model looks like after Go serializes it: the non-pointer
   * structs on the way to the pod spec, and a null container list. Fields a create adds inside
   * these are "modified", not "added", so their parents are not owned themselves.
   */
  static ObjectNode zeroObject(Schema root) {
    return ZEROS.computeIfAbsent(root, r -> {
      ObjectNode out = JsonValues.NODES.objectNode();
      if (r.modelClass() != null) {
        fillZero(out, r);
      }
      return out;
    }).deepCopy();
  }

  private static void fillZero(ObjectNode out, Schema s) {
    for (String f : s.fieldNames()) {
      Schema c = s.field(f);
      if (ALWAYS_PRESENT_STRUCTS.contains(f) && c.kind() == Schema.Kind.STRUCT && !c.atomic()) {
        fillZero(out.putObject(f), c);
      }
    }
    if (s.modelClass() != null && s.modelClass().getSimpleName().equals("PodSpec")) {
      out.putNull("containers");
    }
  }
}
