package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.registry.fieldmanager.ManagedFields.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One server-side apply attempt: merge, ownership of the configuration, pruning of what the
 * manager no longer applies, and the conflicts with other managers; plus the checks of an applied
 * configuration and the 409 upstream answers.
 */
final class Applier {
  private Applier() {}

  /** Fields owned by another manager that an apply would change. */
  record Conflict(Entry entry, FieldSet paths) {}

  /**
   * The result of an attempt: the merged object and the updated entries, or (only when not
   * forced) the conflicts, in which case nothing else is meaningful.
   */
  record Outcome(JsonNode merged, Map<String, Entry> managed, Entry self, List<Conflict> conflicts) {
    FieldSet conflictSet() {
      FieldSet all = new FieldSet();
      for (Conflict c : conflicts) {
        all = all.union(c.paths());
      }
      return all;
    }

    Outcome withoutAllowed(FieldSet allowed) {
      List<Conflict> left = new ArrayList<>();
      for (Conflict c : conflicts) {
        FieldSet rest = c.paths().difference(allowed);
        if (!rest.isEmpty()) {
          left.add(new Conflict(c.entry(), rest));
        }
      }
      return new Outcome(merged, managed, self, left);
    }
  }

  static Outcome attempt(JsonNode liveClean, JsonNode config, Map<String, Entry> managed, String manager,
      boolean force, String apiVersion, String sub, Schema schema) {
    JsonNode merged = Merger.merge(liveClean, config, schema);
    FieldSet ignored = FieldManager.ignored(sub, liveClean, merged);
    FieldSet configSet = Typed.toFieldSet(config, schema).recursiveDifference(ignored)
        .difference(FieldManager.stripped());

    String id = ManagedFields.identity(manager, ManagedFields.APPLY, apiVersion, sub);
    Entry previous = managed.get(id);
    Entry self = new Entry(manager, ManagedFields.APPLY, apiVersion, previous == null ? null : previous.time, sub,
        configSet);
    managed.put(id, self);

    if (previous != null && !previous.set.isEmpty()) {
      FieldSet owned = new FieldSet();
      for (Entry e : managed.values()) {
        owned = owned.union(e.set);
      }
      FieldSet prune = Typed.ensureNamedFieldsAreMembers(previous.set, schema)
          .difference(Typed.ensureNamedFieldsAreMembers(owned, schema));
      Typed.removeItems(merged, prune, schema);
    }

    JsonNode before = liveClean == null ? Typed.zeroObject(schema) : liveClean;
    Comparison cmp = Comparison.of(before, merged, schema).excluding(ignored);
    FieldSet changed = cmp.changed();
    List<Conflict> conflicts = new ArrayList<>();
    for (Entry e : managed.values()) {
      if (e != self) {
        FieldSet c = e.set.intersection(changed);
        if (!c.isEmpty()) {
          conflicts.add(new Conflict(e, c));
        }
      }
    }
    conflicts.sort(Comparator.comparing((Conflict c) -> c.entry().identity()));
    if (!force && !conflicts.isEmpty()) {
      return new Outcome(merged, managed, self, conflicts);
    }
    for (Entry e : managed.values()) {
      if (e != self) {
        e.set = e.set.difference(changed).difference(cmp.removed());
      }
    }
    return new Outcome(merged, managed, self, List.of());
  }

  /** The 409 upstream answers: one cause per conflicting field, the message grouped by manager. */
  static ApiException conflictError(List<Conflict> conflicts) {
    List<ApiException.Cause> causes = new ArrayList<>();
    Map<String, List<String>> byManager = new LinkedHashMap<>();
    for (Conflict c : conflicts) {
      String who = describe(c.entry());
      for (List<PathElement> p : c.paths().paths()) {
        String field = PathElement.format(p);
        causes.add(new ApiException.Cause("FieldManagerConflict", "conflict with " + who, field));
        byManager.computeIfAbsent(who, k -> new ArrayList<>()).add(field);
      }
    }
    String message;
    if (causes.size() == 1) {
      message = "Apply failed with 1 conflict: " + causes.get(0).message() + ": " + causes.get(0).field();
    } else {
      List<String> lines = new ArrayList<>();
      byManager.forEach((who, fields) -> {
        lines.add("conflicts with " + who + ":");
        fields.forEach(field -> lines.add("- " + field));
      });
      message = "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
    }
    return new ApiException(409, "Conflict", message, new ApiException.Details(null, null, null, null, causes));
  }

  /** A manager as conflicts name it: {@code "x"}, {@code "x" with subresource "status"}, {@code ... using v1}. */
  static String describe(Entry e) {
    String s = JsonValues.quote(e.manager);
    if (e.subresource != null) {
      s += " with subresource " + JsonValues.quote(e.subresource);
    }
    if (!e.applied()) {
      s += " using " + e.apiVersion;
    }
    return s;
  }

  /** Problems of an applied configuration: unidentifiable or duplicate list items, with their paths. */
  static List<String> validate(JsonNode v, Schema s) {
    List<String> errors = new ArrayList<>();
    validate(v, s, new ArrayList<>(), errors);
    return errors;
  }

  private static void validate(JsonNode v, Schema s, List<PathElement> path, List<String> errors) {
    Typed.Shape shape = Typed.shape(s, v, v);
    if (shape == Typed.Shape.MAP && v != null && v.isObject()) {
      v.fields().forEachRemaining(e -> {
        path.add(PathElement.field(e.getKey()));
        validate(e.getValue(), s.field(e.getKey()), path, errors);
        path.remove(path.size() - 1);
      });
    } else if (shape == Typed.Shape.LIST && v != null && v.isArray()) {
      Set<PathElement> seen = new HashSet<>();
      Set<PathElement> reported = new HashSet<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        PathElement pe;
        try {
          pe = Typed.itemElement(s, item);
        } catch (IllegalArgumentException e) {
          errors.add(PathElement.format(path) + ": element " + i + ": " + e.getMessage());
          continue;
        }
        if (!seen.add(pe)) {
          if (reported.add(pe)) {
            errors.add(PathElement.format(path) + ": duplicate entries for key " + pe);
          }
          continue;
        }
        path.add(pe);
        validate(item, s.element(), path, errors);
        path.remove(path.size() - 1);
      }
    }
  }
}
