package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of OpenAPI v3 a CRD schema may use, checked node by node over the whole JSONSchemaProps
 * tree (value validations included): no $ref, definitions, dependencies, patternProperties,
 * additionalItems, id, item arrays or {@code uniqueItems}; valid types; defaults only where
 * allowed; consistent list/map type extensions.
 */
final class OpenApiSubset {
  static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "object", "string");
  private static final Set<String> META_FIELDS = Set.of("metadata", "kind", "apiVersion");

  /** Where in the schema a node sits: root, inside resource metadata, defaults forbidden. */
  private record Ctx(boolean allowDefaults, String disallowReason, boolean insideMeta) {
    Ctx forbidDefaults(String reason) {
      return new Ctx(false, reason, insideMeta);
    }

    Ctx meta() {
      return new Ctx(allowDefaults, disallowReason, true);
    }
  }

  private OpenApiSubset() {}

  static void check(JsonNode schema, String path, List<FieldError> errs) {
    walk(schema, path, new Ctx(true, "", false), true, errs);
  }

  private static void walk(JsonNode s, String p, Ctx ctx, boolean isRoot, List<FieldError> errs) {
    if (s == null || !s.isObject()) {
      return;
    }
    standard(s, p, ctx, errs);
    if (s.path("uniqueItems").asBoolean(false)) {
      errs.add(FieldError.forbidden(Paths.child(p, "uniqueItems"),
          "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    JsonNode props = s.get("properties");
    boolean hasProps = props != null && props.isObject() && !props.isEmpty();
    JsonNode ap = s.get("additionalProperties");
    if (ap != null && !ap.isNull()) {
      if (hasProps && (ap.isObject() || !ap.asBoolean(true))) {
        errs.add(FieldError.forbidden(Paths.child(p, "additionalProperties"),
            "additionalProperties and properties are mutual exclusive"));
      }
      Ctx sub = ctx.insideMeta() ? ctx.forbidDefaults("inside additionalProperties applying to object metadata") : ctx;
      walk(ap, Paths.child(p, "additionalProperties"), sub, false, errs);
    }
    if (hasProps) {
      boolean embedded = s.path("x-kubernetes-embedded-resource").asBoolean(false);
      for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Ctx sub = ctx;
        if ((isRoot || embedded) && META_FIELDS.contains(e.getKey())) {
          sub = sub.meta();
          if (isRoot) {
            sub = sub.forbidDefaults("in top-level " + e.getKey());
          }
        }
        walk(e.getValue(), Paths.key(Paths.child(p, "properties"), e.getKey()), sub, false, errs);
      }
    }
    walk(s.get("not"), Paths.child(p, "not"), ctx, false, errs);
    for (String junctor : List.of("allOf", "oneOf", "anyOf")) {
      JsonNode list = s.get(junctor);
      if (list != null && list.isArray()) {
        for (int i = 0; i < list.size(); i++) {
          walk(list.get(i), Paths.index(Paths.child(p, junctor), i), ctx, false, errs);
        }
      }
    }
    for (String named : List.of("definitions", "dependencies")) {
      JsonNode map = s.get(named);
      if (map != null && map.isObject()) {
        map.fields().forEachRemaining(e ->
            walk(e.getValue(), Paths.key(Paths.child(p, named), e.getKey()), ctx, false, errs));
      }
    }
    JsonNode items = s.get("items");
    if (items != null && items.isObject()) {
      walk(items, Paths.child(p, "items"), ctx, false, errs);
    } else if (items != null && items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        walk(items.get(i), Paths.index(Paths.child(p, "items"), i), ctx, false, errs);
      }
    }
    JsonNode preserve = s.get("x-kubernetes-preserve-unknown-fields");
    if (preserve != null && preserve.isBoolean() && !preserve.asBoolean()) {
      errs.add(FieldError.invalid(Paths.child(p, "x-kubernetes-preserve-unknown-fields"), false, "must be true or undefined"));
    }
    listAndMapTypes(s, p, errs);
    JsonNode rules = s.get("x-kubernetes-validations");
    if (rules != null && rules.isArray()) {
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).path("rule").asText("").isBlank()) {
          errs.add(FieldError.required(
              Paths.child(Paths.index(Paths.child(p, "x-kubernetes-validations"), i), "rule"), "rule is not specified"));
        }
      }
    }
  }

  /** The checks of upstream's per-node OpenAPI v3 standard validator. */
  private static void standard(JsonNode s, String p, Ctx ctx, List<FieldError> errs) {
    String type = s.path("type").asText("");
    if (!type.isEmpty() && !TYPES.contains(type)) {
      errs.add(FieldError.notSupported(Paths.child(p, "type"), type, TYPES));
    }
    if (s.has("default") && !ctx.allowDefaults()) {
      String detail = "must not be set" + (ctx.disallowReason().isEmpty() ? "" : " " + ctx.disallowReason());
      errs.add(FieldError.forbidden(Paths.child(p, "default"), detail));
    }
    if (!s.path("id").asText("").isEmpty()) {
      errs.add(FieldError.forbidden(Paths.child(p, "id"), "id is not supported"));
    }
    if (s.has("additionalItems") && !s.get("additionalItems").isNull()) {
      errs.add(FieldError.forbidden(Paths.child(p, "additionalItems"), "additionalItems is not supported"));
    }
    if (s.path("patternProperties").size() > 0) {
      errs.add(FieldError.forbidden(Paths.child(p, "patternProperties"), "patternProperties is not supported"));
    }
    if (s.path("definitions").size() > 0) {
      errs.add(FieldError.forbidden(Paths.child(p, "definitions"), "definitions is not supported"));
    }
    if (s.has("dependencies") && !s.get("dependencies").isNull()) {
      errs.add(FieldError.forbidden(Paths.child(p, "dependencies"), "dependencies is not supported"));
    }
    if (s.has("$ref") && !s.get("$ref").isNull()) {
      errs.add(FieldError.forbidden(Paths.child(p, "$ref"), "$ref is not supported"));
    }
    if (type.equals("null")) {
      errs.add(FieldError.forbidden(Paths.child(p, "type"), "type cannot be set to null, use nullable as an alternative"));
    }
    if (s.path("items").isArray() && !s.get("items").isEmpty()) {
      errs.add(FieldError.forbidden(Paths.child(p, "items"), "items must be a schema object and not an array"));
    }
    if (ctx.insideMeta() && s.path("x-kubernetes-embedded-resource").asBoolean(false)) {
      errs.add(FieldError.forbidden(Paths.child(p, "x-kubernetes-embedded-resource"), "must not be used inside of resource meta"));
    }
  }

  private static void listAndMapTypes(JsonNode s, String p, List<FieldError> errs) {
    String type = s.path("type").asText("");
    String mapType = s.path("x-kubernetes-map-type").isTextual() ? s.get("x-kubernetes-map-type").asText() : null;
    String listType = s.path("x-kubernetes-list-type").isTextual() ? s.get("x-kubernetes-list-type").asText() : null;
    JsonNode keys = s.path("x-kubernetes-list-map-keys");
    JsonNode items = s.get("items");
    boolean singleItems = items != null && items.isObject();
    if (mapType != null && !type.equals("object")) {
      typeMust(p, type, "must be object if x-kubernetes-map-type is specified", errs);
    }
    if (mapType != null && !mapType.equals("atomic") && !mapType.equals("granular")) {
      errs.add(FieldError.notSupported(Paths.child(p, "x-kubernetes-map-type"), mapType, List.of("atomic", "granular")));
    }
    if (listType != null && !type.equals("array")) {
      typeMust(p, type, "must be array if x-kubernetes-list-type is specified", errs);
    } else if ("set".equals(listType) && singleItems) {
      String itemType = items.path("type").asText("");
      JsonNode itemListType = items.get("x-kubernetes-list-type");
      String itemMapType = items.path("x-kubernetes-map-type").asText(null);
      String detail = "must be atomic as item of a list with x-kubernetes-list-type=set";
      if (itemType.equals("array") && itemListType != null && !itemListType.asText().equals("atomic")) {
        errs.add(FieldError.invalid(Paths.child(Paths.child(p, "items"), "x-kubernetes-list-type"), itemListType.asText(), detail));
      } else if (itemType.equals("object") && !"atomic".equals(itemMapType)) {
        errs.add(FieldError.invalid(Paths.child(Paths.child(p, "items"), "x-kubernetes-map-type"), itemListType, detail));
      }
    }
    if (listType != null && !List.of("atomic", "set", "map").contains(listType)) {
      errs.add(FieldError.notSupported(Paths.child(p, "x-kubernetes-list-type"), listType, List.of("atomic", "set", "map")));
    }
    if (keys.size() > 0) {
      String detail = "must be map if x-kubernetes-list-map-keys is non-empty";
      if (listType == null) {
        errs.add(FieldError.required(Paths.child(p, "x-kubernetes-list-type"), detail));
      } else if (!listType.equals("map")) {
        errs.add(FieldError.invalid(Paths.child(p, "x-kubernetes-list-type"), listType, detail));
      }
    }
    if ("map".equals(listType)) {
      listMap(s, p, keys, items, errs);
    }
    if (singleItems && ("set".equals(listType) || "map".equals(listType))) {
      if (items.path("nullable").asBoolean(false)) {
        errs.add(FieldError.forbidden(Paths.child(Paths.child(p, "items"), "nullable"),
            "cannot be nullable when x-kubernetes-list-type is " + listType));
      }
      if (listType.equals("map")) {
        Set<String> required = new HashSet<>();
        items.path("required").forEach(r -> required.add(r.asText()));
        for (JsonNode k : keys) {
          JsonNode prop = items.path("properties").get(k.asText());
          if (prop == null) {
            continue;
          }
          String kp = Paths.key(Paths.child(Paths.child(p, "items"), "properties"), k.asText());
          if (!required.contains(k.asText()) && (prop.get("default") == null || prop.get("default").isNull())) {
            errs.add(FieldError.required(Paths.child(kp, "default"),
                "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
          }
          if (prop.path("nullable").asBoolean(false)) {
            errs.add(FieldError.forbidden(Paths.child(kp, "nullable"),
                "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
          }
        }
      }
    }
  }

  private static void listMap(JsonNode s, String p, JsonNode keys, JsonNode items, List<FieldError> errs) {
    String ip = Paths.child(p, "items");
    if (keys.size() == 0) {
      errs.add(FieldError.required(Paths.child(p, "x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"));
    }
    if (items == null || items.isNull()) {
      errs.add(FieldError.required(ip, "must have a schema if x-kubernetes-list-type is map"));
      return;
    }
    if (!items.isObject()) {
      errs.add(FieldError.invalid(ip, items, "must only have a single schema if x-kubernetes-list-type is map"));
      return;
    }
    String itemType = items.path("type").asText("");
    if (!itemType.equals("object")) {
      errs.add(FieldError.invalid(Paths.child(ip, "type"), itemType, "must be object if parent array's x-kubernetes-list-type is map"));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode k : keys) {
      JsonNode prop = items.path("properties").get(k.asText());
      if (prop != null) {
        String t = prop.path("type").asText("");
        if (t.equals("array") || t.equals("object")) {
          errs.add(FieldError.invalid(Paths.child(Paths.key(Paths.child(ip, "properties"), k.asText()), "type"), itemType,
              "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        }
      } else {
        errs.add(FieldError.invalid(Paths.child(p, "x-kubernetes-list-map-keys"), keys, "entries must all be names of item properties"));
      }
      if (!seen.add(k.asText())) {
        errs.add(FieldError.invalid(Paths.child(p, "x-kubernetes-list-map-keys"), keys, "must not contain duplicate entries"));
      }
    }
  }

  private static void typeMust(String p, String type, String detail, List<FieldError> errs) {
    if (type.isEmpty()) {
      errs.add(FieldError.required(Paths.child(p, "type"), detail));
    } else {
      errs.add(FieldError.invalid(Paths.child(p, "type"), type, detail));
    }
  }
}
