package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structural-schema invariants of apiextensions-apiserver, run only on schemas it could convert
 * at all (no $ref and the like, which {@link OpenApiSubset} reports instead), followed by the
 * defaults check when the schema is structural.
 */
final class StructuralChecks {
  private enum Level { ROOT, ITEMS, FIELD }

  private static final Set<String> UNCONVERTIBLE =
      Set.of("id", "$schema", "$ref", "patternProperties", "dependencies", "additionalItems", "definitions");

  private StructuralChecks() {}

  static List<FieldError> check(JsonNode schema, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (schema == null || !schema.isObject()) {
      return errs;
    }
    if (convertible(schema)) {
      StructuralSchema s = StructuralSchema.parse(schema);
      List<FieldError> structural = new ArrayList<>();
      invariants(s, Level.ROOT, path, structural);
      NestedValidations.completeness(s, path, structural);
      structural.sort(Comparator.comparing(FieldError::message));
      errs.addAll(structural);
      if (structural.isEmpty()) {
        DefaultsCheck.check(s, path, errs);
      }
    }
    OpenApiSubset.check(schema, path, errs);
    return errs;
  }

  /** Whether upstream's NewStructural would accept the schema (else only the subset errors show). */
  private static boolean convertible(JsonNode s) {
    if (s == null || !s.isObject()) {
      return true;
    }
    for (String f : UNCONVERTIBLE) {
      JsonNode v = s.get(f);
      if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty()) && !(v.isTextual() && v.asText().isEmpty())) {
        return false;
      }
    }
    JsonNode preserve = s.get("x-kubernetes-preserve-unknown-fields");
    if (s.path("items").isArray() || (preserve != null && preserve.isBoolean() && !preserve.asBoolean())) {
      return false;
    }
    for (String one : List.of("items", "additionalProperties", "not")) {
      if (!convertible(s.get(one))) {
        return false;
      }
    }
    for (String many : List.of("allOf", "anyOf", "oneOf")) {
      for (JsonNode x : s.path(many)) {
        if (!convertible(x)) {
          return false;
        }
      }
    }
    for (JsonNode x : s.path("properties")) {
      if (!convertible(x)) {
        return false;
      }
    }
    return true;
  }

  private static void invariants(StructuralSchema s, Level lvl, String p, List<FieldError> errs) {
    String type = s.type();
    if (type.equals("array") && s.items() == null) {
      errs.add(FieldError.required(Paths.child(p, "items"), "must be specified"));
    }
    if (s.items() != null) {
      invariants(s.items(), Level.ITEMS, Paths.child(p, "items"), errs);
    }
    for (Map.Entry<String, StructuralSchema> e : s.properties().entrySet()) {
      invariants(e.getValue(), Level.FIELD, Paths.key(Paths.child(p, "properties"), e.getKey()), errs);
    }
    if (s.hasAdditionalProperties()) {
      if (lvl == Level.ROOT) {
        errs.add(FieldError.forbidden(Paths.child(p, "additionalProperties"), "must not be used at the root"));
      }
      if (s.additionalProperties() != null) {
        invariants(s.additionalProperties(), Level.FIELD, Paths.child(p, "additionalProperties"), errs);
      }
    }
    if (s.intOrString() && s.preserveUnknownFields()) {
      errs.add(FieldError.invalid(Paths.child(p, "x-kubernetes-preserve-unknown-fields"), true,
          "must be false if x-kubernetes-int-or-string is true"));
    }
    if (s.intOrString() && s.embeddedResource()) {
      errs.add(FieldError.invalid(Paths.child(p, "x-kubernetes-embedded-resource"), true,
          "must be false if x-kubernetes-int-or-string is true"));
    }
    NestedValidations.check(s.raw(), p, errs);

    boolean checkMetadata = lvl == Level.ROOT || s.embeddedResource();
    if (s.embeddedResource() && !type.equals("object")) {
      String detail = "must be object if x-kubernetes-embedded-resource is true";
      errs.add(type.isEmpty() ? FieldError.required(Paths.child(p, "type"), detail)
          : FieldError.invalid(Paths.child(p, "type"), type, detail));
    } else if (type.isEmpty() && !s.intOrString() && !s.preserveUnknownFields()) {
      String detail = switch (lvl) {
        case ROOT -> "must not be empty at the root";
        case ITEMS -> "must not be empty for specified array items";
        case FIELD -> "must not be empty for specified object fields";
      };
      errs.add(FieldError.required(Paths.child(p, "type"), detail));
    }
    if (s.embeddedResource() && s.hasAdditionalProperties()) {
      errs.add(FieldError.forbidden(Paths.child(p, "additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"));
    }
    if (lvl == Level.ROOT && !type.isEmpty() && !type.equals("object")) {
      errs.add(FieldError.invalid(Paths.child(p, "type"), type, "must be object at the root"));
    }
    String props = Paths.child(p, "properties");
    for (String typeMeta : List.of("kind", "apiVersion")) {
      StructuralSchema f = s.properties().get(typeMeta);
      if (f != null && checkMetadata && !f.type().equals("string")) {
        errs.add(FieldError.invalid(Paths.child(Paths.key(props, typeMeta), "type"), f.type(), "must be string"));
      }
    }
    StructuralSchema meta = s.properties().get("metadata");
    if (meta != null) {
      String mp = Paths.key(props, "metadata");
      if (checkMetadata && !meta.type().equals("object")) {
        errs.add(FieldError.invalid(Paths.child(mp, "type"), meta.type(), "must be object"));
      }
      if (lvl == Level.ROOT && !onlyNameRestrictions(meta.raw())) {
        errs.add(FieldError.forbidden(mp,
            "must not specify anything other than name and generateName, but metadata is implicitly specified"));
      }
    }
    if (s.embeddedResource() && !s.preserveUnknownFields() && s.properties().isEmpty()) {
      errs.add(FieldError.required(props,
          "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
    }
  }

  /** Whether a root metadata schema restricts at most name and generateName. */
  private static boolean onlyNameRestrictions(JsonNode meta) {
    for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "type", "default" -> { }
        case "properties" -> {
          for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
            String n = names.next();
            if (!n.equals("name") && !n.equals("generateName")) {
              return false;
            }
          }
        }
        default -> {
          boolean zero = v.isNull() || (v.isBoolean() && !v.asBoolean()) || (v.isTextual() && v.asText().isEmpty())
              || (v.isContainerNode() && v.isEmpty());
          if (!zero) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
