package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Defaults of a structural schema must be pruned (no fields the schema would drop) and valid
 * against their own schema. Defaults inside resource metadata are left out (the OpenAPI subset
 * check forbids them at the top level).
 */
final class DefaultsCheck {
  private static final Set<String> META_FIELDS = Set.of("metadata", "apiVersion", "kind");

  private DefaultsCheck() {}

  static void check(StructuralSchema root, String path, List<FieldError> errs) {
    walk(root, path, true, false, errs);
  }

  private static void walk(StructuralSchema s, String p, boolean resourceRoot, boolean insideMeta, List<FieldError> errs) {
    if (s == null) {
      return;
    }
    boolean embedded = resourceRoot || s.embeddedResource();
    if (s.embeddedResource()) {
      insideMeta = false;
    }
    JsonNode d = s.defaultValue();
    if (d != null && !insideMeta) {
      JsonNode pruned = d.deepCopy();
      SchemaPruner.pruneValue(pruned, s, embedded);
      if (!pruned.equals(d)) {
        errs.add(FieldError.invalid(Paths.child(p, "default"), SchemaFormats.badValue(d), "must not have unknown fields"));
      }
      errs.addAll(SchemaValidator.validateValue(d, s, Paths.child(p, "default")));
    }
    walk(s.items(), Paths.child(p, "items"), false, insideMeta, errs);
    for (Map.Entry<String, StructuralSchema> e : s.properties().entrySet()) {
      boolean meta = insideMeta || (embedded && META_FIELDS.contains(e.getKey()));
      walk(e.getValue(), Paths.key(Paths.child(p, "properties"), e.getKey()), false, meta, errs);
    }
  }
}
