package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * The value validations under allOf/anyOf/oneOf/not of a structural schema: they may only
 * validate, never add structure (types, defaults, extensions, additionalProperties, metadata), and
 * every field they mention must also be specified in the structural part.
 */
final class NestedValidations {

  private NestedValidations() {}

  /** The value validations of one structural node (its junctors and its pattern). */
  static void check(JsonNode s, String p, List<FieldError> errs) {
    valueValidation(s, isIntOrStringAnyOf(s.get("anyOf")), isIntOrStringAllOf(s), p, errs);
  }

  private static void valueValidation(JsonNode v, boolean skipAnyOf, boolean skipFirstAllOfAnyOf, String p,
      List<FieldError> errs) {
    if (!skipAnyOf) {
      eachOf(v, "anyOf", p, (n, np, i) -> nested(n, false, np, errs));
    }
    eachOf(v, "allOf", p, (n, np, i) -> nested(n, skipFirstAllOfAnyOf && i == 0, np, errs));
    eachOf(v, "oneOf", p, (n, np, i) -> nested(n, false, np, errs));
    JsonNode not = v.get("not");
    if (not != null && not.isObject()) {
      nested(not, false, Paths.child(p, "not"), errs);
    }
    JsonNode pattern = v.get("pattern");
    if (pattern != null && pattern.isTextual() && !pattern.asText().isEmpty()) {
      try {
        SchemaFormats.regex(pattern.asText());
      } catch (PatternSyntaxException e) {
        errs.add(FieldError.invalid(Paths.child(p, "pattern"), pattern.asText(),
            "must be a valid regular expression, but isn't: error parsing regexp: " + e.getDescription() + ": `"
                + pattern.asText() + "`"));
      }
    }
  }

  private static void nested(JsonNode v, boolean skipAnyOf, String p, List<FieldError> errs) {
    valueValidation(v, skipAnyOf, false, p, errs);
    JsonNode items = v.get("items");
    if (items != null && items.isObject()) {
      nested(items, false, Paths.child(p, "items"), errs);
    }
    JsonNode props = v.get("properties");
    if (props != null && props.isObject()) {
      props.fields().forEachRemaining(e ->
          nested(e.getValue(), false, Paths.key(Paths.child(p, "properties"), e.getKey()), errs));
    }
    if (!v.path("type").asText("").isEmpty()) {
      errs.add(FieldError.forbidden(Paths.child(p, "type"), "must be empty to be structural"));
    }
    JsonNode ap = v.get("additionalProperties");
    if (ap != null && (ap.isObject() || (ap.isBoolean() && ap.asBoolean()))) {
      errs.add(FieldError.forbidden(Paths.child(p, "additionalProperties"), "must be undefined to be structural"));
    }
    if (v.has("default") && !v.get("default").isNull()) {
      errs.add(FieldError.forbidden(Paths.child(p, "default"), "must be undefined to be structural"));
    }
    for (String text : List.of("title", "description")) {
      if (!v.path(text).asText("").isEmpty()) {
        errs.add(FieldError.forbidden(Paths.child(p, text), "must be empty to be structural"));
      }
    }
    for (String flag : List.of("nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string")) {
      if (v.path(flag).asBoolean(false)) {
        errs.add(FieldError.forbidden(Paths.child(p, flag), "must be false to be structural"));
      }
    }
    if (v.path("x-kubernetes-list-map-keys").size() > 0) {
      errs.add(FieldError.forbidden(Paths.child(p, "x-kubernetes-list-map-keys"), "must be empty to be structural"));
    }
    for (String ext : List.of("x-kubernetes-list-type", "x-kubernetes-map-type")) {
      if (v.has(ext) && !v.get(ext).isNull()) {
        errs.add(FieldError.forbidden(Paths.child(p, ext), "must be undefined to be structural"));
      }
    }
    if (v.path("x-kubernetes-validations").size() > 0) {
      errs.add(FieldError.forbidden(Paths.child(p, "x-kubernetes-validations"), "must be empty to be structural"));
    }
    if (props != null && props.has("metadata")) {
      errs.add(FieldError.forbidden(Paths.key(Paths.child(p, "properties"), "metadata"), "must not be specified in a nested context"));
    }
  }

  /** Fields named in value validations must be specified structurally too. */
  static void completeness(StructuralSchema s, String path, List<FieldError> errs) {
    valueCompleteness(s.raw(), s, path, path, errs);
  }

  private static void valueCompleteness(JsonNode v, StructuralSchema s, String sPath, String vPath, List<FieldError> errs) {
    JsonNode not = v.get("not");
    if (not != null && not.isObject()) {
      nestedCompleteness(not, s, sPath, Paths.child(vPath, "not"), errs);
    }
    for (String junctor : List.of("allOf", "anyOf", "oneOf")) {
      eachOf(v, junctor, vPath, (n, np, i) -> nestedCompleteness(n, s, sPath, np, errs));
    }
  }

  private static void nestedCompleteness(JsonNode v, StructuralSchema s, String sPath, String vPath, List<FieldError> errs) {
    if (s == null) {
      errs.add(FieldError.required(sPath, "because it is defined in " + vPath));
      return;
    }
    valueCompleteness(v, s, sPath, vPath, errs);
    JsonNode items = v.get("items");
    if (items != null && items.isObject()) {
      nestedCompleteness(items, s.items(), Paths.child(sPath, "items"), Paths.child(vPath, "items"), errs);
    }
    JsonNode props = v.get("properties");
    if (props != null && props.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String sp = Paths.key(Paths.child(sPath, "properties"), e.getKey());
        String vp = Paths.key(Paths.child(vPath, "properties"), e.getKey());
        StructuralSchema f = s.properties().get(e.getKey());
        if (f == null) {
          errs.add(FieldError.required(sp, "because it is defined in " + vp));
        } else {
          nestedCompleteness(e.getValue(), f, sp, vp, errs);
        }
      }
    }
  }

  /** anyOf: [{type: integer}, {type: string}], the int-or-string spelling upstream tolerates. */
  private static boolean isIntOrStringAnyOf(JsonNode anyOf) {
    return anyOf != null && anyOf.isArray() && anyOf.size() == 2
        && onlyType(anyOf.get(0), "integer") && onlyType(anyOf.get(1), "string");
  }

  private static boolean isIntOrStringAllOf(JsonNode s) {
    JsonNode allOf = s.get("allOf");
    return allOf != null && allOf.isArray() && !allOf.isEmpty() && isIntOrStringAnyOf(allOf.get(0).get("anyOf"));
  }

  private static boolean onlyType(JsonNode n, String type) {
    return n != null && n.isObject() && n.size() == 1 && type.equals(n.path("type").asText());
  }

  private interface Each {
    void apply(JsonNode node, String path, int index);
  }

  private static void eachOf(JsonNode v, String junctor, String p, Each each) {
    JsonNode list = v.get(junctor);
    if (list != null && list.isArray()) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).isObject()) {
          each.apply(list.get(i), Paths.index(Paths.child(p, junctor), i), i);
        }
      }
    }
  }
}
