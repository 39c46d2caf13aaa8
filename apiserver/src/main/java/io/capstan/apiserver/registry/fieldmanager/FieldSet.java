package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A set of field paths, stored as a trie: at each level the path elements that are members
 * themselves, and the child sets of elements that have members below them. A path can be both a
 * member and have children (FieldsV1 writes that as {@code ".": {}}).
 *
 * <p>Set operations return new sets and leave their operands alone; {@link #insert} mutates.
 */
public final class FieldSet {
  private final NavigableSet<PathElement> members = new TreeSet<>();
  private final NavigableMap<PathElement, FieldSet> children = new TreeMap<>();

  /** An empty set. */
  public FieldSet() {}

  /** A set of these paths. */
  @SafeVarargs
  public static FieldSet of(List<PathElement>... paths) {
    FieldSet s = new FieldSet();
    for (List<PathElement> p : paths) {
      s.insert(p);
    }
    return s;
  }

  /** Adds a path (a non-empty list of elements). */
  public void insert(List<PathElement> path) {
    if (path.isEmpty()) {
      return;
    }
    FieldSet at = this;
    for (int i = 0; i < path.size() - 1; i++) {
      at = at.children.computeIfAbsent(path.get(i), k -> new FieldSet());
    }
    at.members.add(path.get(path.size() - 1));
  }

  /** Whether the path is a member. */
  public boolean has(List<PathElement> path) {
    if (path.isEmpty()) {
      return false;
    }
    FieldSet at = this;
    for (int i = 0; i < path.size() - 1; i++) {
      at = at.children.get(path.get(i));
      if (at == null) {
        return false;
      }
    }
    return at.members.contains(path.get(path.size() - 1));
  }

  /** Whether the set has no member at any depth. */
  public boolean isEmpty() {
    if (!members.isEmpty()) {
      return false;
    }
    for (FieldSet c : children.values()) {
      if (!c.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Number of member paths. */
  public int size() {
    int n = members.size();
    for (FieldSet c : children.values()) {
      n += c.size();
    }
    return n;
  }

  /** The members directly at this level. */
  NavigableSet<PathElement> members() {
    return members;
  }

  /** The child sets at this level. */
  NavigableMap<PathElement, FieldSet> children() {
    return children;
  }

  /** The set below {@code pe} (empty when none). */
  public FieldSet child(PathElement pe) {
    FieldSet c = children.get(pe);
    return c == null ? new FieldSet() : c;
  }

  /** Paths in either set. */
  public FieldSet union(FieldSet o) {
    FieldSet out = new FieldSet();
    out.members.addAll(members);
    out.members.addAll(o.members);
    children.forEach((pe, c) -> out.children.put(pe, c.union(new FieldSet())));
    o.children.forEach((pe, c) -> out.children.merge(pe, c.union(new FieldSet()), FieldSet::union));
    out.dropEmptyChildren();
    return out;
  }

  /** Paths in both sets. */
  public FieldSet intersection(FieldSet o) {
    FieldSet out = new FieldSet();
    for (PathElement pe : members) {
      if (o.members.contains(pe)) {
        out.members.add(pe);
      }
    }
    children.forEach((pe, c) -> {
      FieldSet oc = o.children.get(pe);
      if (oc != null) {
        FieldSet i = c.intersection(oc);
        if (!i.isEmpty()) {
          out.children.put(pe, i);
        }
      }
    });
    return out;
  }

  /** Paths of this set that are not members of {@code o} (their children are kept unless in o too). */
  public FieldSet difference(FieldSet o) {
    FieldSet out = new FieldSet();
    for (PathElement pe : members) {
      if (!o.members.contains(pe)) {
        out.members.add(pe);
      }
    }
    children.forEach((pe, c) -> {
      FieldSet oc = o.children.get(pe);
      FieldSet d = oc == null ? c.union(new FieldSet()) : c.difference(oc);
      if (!d.isEmpty()) {
        out.children.put(pe, d);
      }
    });
    return out;
  }

  /** Paths of this set that are neither in {@code o} nor below a member of {@code o}. */
  public FieldSet recursiveDifference(FieldSet o) {
    FieldSet out = new FieldSet();
    for (PathElement pe : members) {
      if (!o.members.contains(pe)) {
        out.members.add(pe);
      }
    }
    children.forEach((pe, c) -> {
      if (o.members.contains(pe)) {
        return;
      }
      FieldSet oc = o.children.get(pe);
      FieldSet d = oc == null ? c.union(new FieldSet()) : c.recursiveDifference(oc);
      if (!d.isEmpty()) {
        out.children.put(pe, d);
      }
    });
    return out;
  }

  /** Every member path, members of a level before the levels below it, each in sort order. */
  public List<List<PathElement>> paths() {
    List<List<PathElement>> out = new ArrayList<>();
    forEachPath(new ArrayList<>(), out::add);
    return out;
  }

  private void forEachPath(List<PathElement> prefix, Consumer<List<PathElement>> f) {
    for (PathElement pe : members) {
      List<PathElement> p = new ArrayList<>(prefix);
      p.add(pe);
      f.accept(List.copyOf(p));
    }
    children.forEach((pe, c) -> {
      prefix.add(pe);
      c.forEachPath(prefix, f);
      prefix.remove(prefix.size() - 1);
    });
  }

  private void dropEmptyChildren() {
    children.values().removeIf(FieldSet::isEmpty);
  }

  /** Parses a FieldsV1 object; throws IllegalArgumentException when it is not valid FieldsV1. */
  public static FieldSet fromFieldsV1(JsonNode fields) {
    if (fields == null || !fields.isObject()) {
      throw new IllegalArgumentException("FieldsV1 must be a JSON object");
    }
    FieldSet out = new FieldSet();
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(".")) {
        continue;
      }
      PathElement pe = PathElement.parseFieldsV1(e.getKey());
      JsonNode v = e.getValue();
      if (!v.isObject()) {
        throw new IllegalArgumentException("FieldsV1 values must be objects: " + e.getKey());
      }
      if (v.isEmpty() || v.has(".")) {
        out.members.add(pe);
      }
      FieldSet c = fromFieldsV1(v);
      if (!c.isEmpty()) {
        out.children.put(pe, c);
      }
    }
    return out;
  }

  /** The FieldsV1 encoding, keys in structured-merge-diff's order and {@code "."} first. */
  public ObjectNode toFieldsV1() {
    ObjectNode out = JsonValues.NODES.objectNode();
    emit(out);
    return out;
  }

  private void emit(ObjectNode out) {
    TreeSet<PathElement> all = new TreeSet<>(members);
    all.addAll(children.keySet());
    for (PathElement pe : all) {
      ObjectNode node = out.putObject(pe.toFieldsV1());
      FieldSet c = children.get(pe);
      if (c != null && !c.isEmpty()) {
        if (members.contains(pe)) {
          node.putObject(".");
        }
        c.emit(node);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet s && paths().equals(s.paths());
  }

  @Override
  public int hashCode() {
    return paths().hashCode();
  }

  /** One path per line, as structured-merge-diff prints sets. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (List<PathElement> p : paths()) {
      sb.append(PathElement.format(p)).append('\n');
    }
    return sb.toString();
  }
}
