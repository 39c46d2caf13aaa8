package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The per-version parts of a CRD: schema, subresources, printer columns, selectable fields. Each
 * part is validated once at the top level when every version has the same one (upstream's internal
 * form hoists it there), else under each version.
 */
final class CrdVersionParts {
  /** JSONSchemaProps fields in the Go struct's order, for the status-subresource root rule. */
  private static final List<String> ROOT_FIELDS = List.of("id", "$schema", "$ref", "description", "type", "format",
      "title", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
      "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties",
      "required", "items", "allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties",
      "patternProperties", "dependencies", "additionalItems", "definitions", "externalDocs", "example", "nullable",
      "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
      "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations");
  private static final Set<String> ALLOWED_AT_STATUS_ROOT = Set.of("description", "type", "format", "title", "maximum",
      "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
      "uniqueItems", "multipleOf", "required", "items", "properties", "externalDocs", "example",
      "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations");
  private static final String ALLOWED_AT_STATUS_ROOT_GO = "[Description Type Format Title Maximum ExclusiveMaximum "
      + "Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items "
      + "Properties ExternalDocs Example XPreserveUnknownFields XValidations]";
  private static final List<String> COLUMN_TYPES = List.of("boolean", "date", "integer", "number", "string");
  private static final List<String> COLUMN_FORMATS =
      List.of("byte", "date", "date-time", "double", "float", "int32", "int64", "password");
  private static final int MAX_SELECTABLE_FIELDS = 8;

  private CrdVersionParts() {}

  /** The parts of version {@code i} that differ between versions. */
  static void perVersion(JsonNode spec, int i, List<FieldError> errs) {
    JsonNode v = spec.path("versions").get(i);
    String vp = "spec.versions[" + i + "]";
    deprecationWarning(v, vp, errs);
    if (!identical(spec, "schema")) {
      schema(v.path("schema"), vp + ".schema", hasStatus(v), errs);
    }
    if (!identical(spec, "subresources")) {
      subresources(v.path("subresources"), vp + ".subresources", errs);
    }
    if (!identical(spec, "additionalPrinterColumns")) {
      columns(v.path("additionalPrinterColumns"), vp + ".additionalPrinterColumns", errs);
    }
    if (!identical(spec, "selectableFields")) {
      selectableFields(v, vp + ".selectableFields", errs);
    }
  }

  /** The parts every version shares, at upstream's top-level paths. */
  static void topLevel(JsonNode spec, List<FieldError> errs) {
    JsonNode versions = spec.path("versions");
    if (versions.isEmpty()) {
      return;
    }
    JsonNode first = versions.get(0);
    if (identical(spec, "schema")) {
      boolean anyStatus = false;
      for (JsonNode v : versions) {
        anyStatus |= hasStatus(v);
      }
      schema(first.path("schema"), "spec.validation", anyStatus, errs);
    }
    if (identical(spec, "subresources")) {
      subresources(first.path("subresources"), "spec.subresources", errs);
    }
    if (identical(spec, "additionalPrinterColumns")) {
      columns(first.path("additionalPrinterColumns"), "spec.additionalPrinterColumns", errs);
    }
    if (identical(spec, "selectableFields")) {
      selectableFields(first, "spec.selectableFields", errs);
    }
  }

  private static boolean identical(JsonNode spec, String part) {
    JsonNode versions = spec.path("versions");
    JsonNode first = versions.isEmpty() ? MissingNode.getInstance() : normalize(versions.get(0).get(part));
    for (JsonNode v : versions) {
      if (!normalize(v.get(part)).equals(first)) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode normalize(JsonNode n) {
    return n == null || n.isNull() ? MissingNode.getInstance() : n;
  }

  private static boolean hasStatus(JsonNode version) {
    JsonNode status = version.path("subresources").get("status");
    return status != null && !status.isNull();
  }

  private static void deprecationWarning(JsonNode v, String vp, List<FieldError> errs) {
    JsonNode w = v.get("deprecationWarning");
    if (w == null || w.isNull()) {
      return;
    }
    String p = vp + ".deprecationWarning";
    String s = w.asText();
    if (!v.path("deprecated").asBoolean(false)) {
      errs.add(FieldError.invalid(p, s, "can only be set for deprecated versions"));
      return;
    }
    if (s.length() > 256) {
      errs.add(FieldError.invalid(p, s, "must be <= 256 characters long"));
    }
    if (s.isEmpty()) {
      errs.add(FieldError.invalid(p, s, "must not be an empty string"));
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        errs.add(FieldError.invalid(p, s,
            "must only contain printable UTF-8 characters; non-printable character found at index " + i));
        break;
      }
    }
  }

  /** The checks of a CustomResourceValidation at {@code path} (spec.validation or versions[i].schema). */
  static void schema(JsonNode validation, String path, boolean statusEnabled, List<FieldError> errs) {
    JsonNode schema = validation.get("openAPIV3Schema");
    if (schema == null || !schema.isObject()) {
      return;
    }
    String sp = path + ".openAPIV3Schema";
    if (statusEnabled) {
      for (String f : ROOT_FIELDS) {
        JsonNode v = schema.get(f);
        boolean zero = v == null || v.isNull() || (v.isBoolean() && !v.asBoolean() && !f.equals("x-kubernetes-preserve-unknown-fields"))
            || (v.isTextual() && v.asText().isEmpty()) || (v.isContainerNode() && v.isEmpty());
        if (zero) {
          continue;
        }
        if (f.equals("type")) {
          if (!v.asText().equals("object")) {
            errs.add(FieldError.invalid(sp + ".type", v.asText(),
                "only \"object\" is allowed as the type at the root of the schema if the status subresource is enabled"));
            break;
          }
          continue;
        }
        if (!ALLOWED_AT_STATUS_ROOT.contains(f)) {
          errs.add(FieldError.invalid(sp, schema, "only " + ALLOWED_AT_STATUS_ROOT_GO
              + " fields are allowed at the root of the schema if the status subresource is enabled"));
          break;
        }
      }
    }
    if (schema.path("nullable").asBoolean(false)) {
      errs.add(FieldError.forbidden(sp + ".nullable", "nullable cannot be true at the root"));
    }
    errs.addAll(StructuralSchema.checkStructural(schema, sp));
  }

  static void subresources(JsonNode sub, String path, List<FieldError> errs) {
    JsonNode scale = sub.get("scale");
    if (scale == null || scale.isNull()) {
      return;
    }
    replicasPath(scale, "specReplicasPath", ".spec.", "should be a json path under .spec", path, errs);
    replicasPath(scale, "statusReplicasPath", ".status.", "should be a json path under .status", path, errs);
    String selector = CrdValidation.text(scale, "labelSelectorPath");
    if (!selector.isEmpty()) {
      String p = path + ".scale.labelSelectorPath";
      if (simpleJsonPath(selector, p, errs) && !selector.startsWith(".spec.") && !selector.startsWith(".status.")) {
        errs.add(FieldError.invalid(p, selector, "should be a json path under either .spec or .status"));
      }
    }
  }

  private static void replicasPath(JsonNode scale, String field, String prefix, String detail, String path,
      List<FieldError> errs) {
    String v = CrdValidation.text(scale, field);
    String p = path + ".scale." + field;
    if (v.isEmpty()) {
      errs.add(FieldError.required(p, ""));
    } else if (simpleJsonPath(v, p, errs) && !v.startsWith(prefix)) {
      errs.add(FieldError.invalid(p, v, detail));
    }
  }

  /** Whether {@code s} is a dot-notation JSON path (.a.b); adds the error when it is not. */
  private static boolean simpleJsonPath(String s, String p, List<FieldError> errs) {
    if (s.isEmpty()) {
      errs.add(FieldError.invalid(p, s, "must not be empty"));
      return false;
    }
    if (s.charAt(0) != '.') {
      errs.add(FieldError.invalid(p, s, "must be a simple json path starting with ."));
      return false;
    }
    return true;
  }

  static void columns(JsonNode columns, String path, List<FieldError> errs) {
    for (int i = 0; i < columns.size(); i++) {
      JsonNode c = columns.get(i);
      String cp = Paths.index(path, i);
      if (CrdValidation.text(c, "name").isEmpty()) {
        errs.add(FieldError.required(cp + ".name", ""));
      }
      String type = CrdValidation.text(c, "type");
      String types = "must be one of " + String.join(",", COLUMN_TYPES);
      if (type.isEmpty()) {
        errs.add(FieldError.required(cp + ".type", types));
      } else if (!COLUMN_TYPES.contains(type)) {
        errs.add(FieldError.invalid(cp + ".type", type, types));
      }
      String format = CrdValidation.text(c, "format");
      if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
        errs.add(FieldError.invalid(cp + ".format", format, "must be one of " + String.join(",", COLUMN_FORMATS)));
      }
      String jsonPath = CrdValidation.text(c, "jsonPath");
      if (jsonPath.isEmpty()) {
        errs.add(FieldError.required(cp + ".JSONPath", ""));
      } else {
        simpleJsonPath(jsonPath, cp + ".JSONPath", errs);
      }
    }
  }

  private static void selectableFields(JsonNode version, String path, List<FieldError> errs) {
    JsonNode fields = version.path("selectableFields");
    if (fields.isEmpty()) {
      return;
    }
    JsonNode schema = version.path("schema").get("openAPIV3Schema");
    if (schema == null || schema.isNull()) {
      errs.add(FieldError.invalid(path, "", "may only be set when `version.schema.openAPIV3Schema` is not included"));
      return;
    }
    Set<String> unique = new HashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      String jp = CrdValidation.text(fields.get(i), "jsonPath");
      String p = Paths.index(path, i) + ".jsonPath";
      if (jp.isEmpty()) {
        errs.add(FieldError.required(p, ""));
        continue;
      }
      JsonNode target = jp.startsWith(".") ? schema : null;
      for (String part : jp.startsWith(".") ? jp.substring(1).split("\\.", -1) : new String[0]) {
        target = target == null || part.isEmpty() ? null : target.path("properties").get(part);
      }
      if (target == null) {
        errs.add(FieldError.invalid(p, jp, "is an invalid path: does not refer to a valid field"));
        continue;
      }
      if (jp.startsWith(".metadata.") || jp.equals(".metadata")) {
        errs.add(FieldError.invalid(p, jp, "must not point to fields in metadata"));
      }
      if (!List.of("string", "boolean", "integer").contains(target.path("type").asText(""))) {
        errs.add(FieldError.invalid(p, jp, "must point to a field of type string, boolean or integer. "
            + "Enum string fields and strings with formats are allowed."));
      }
      if (!unique.add(jp)) {
        errs.add(FieldError.duplicate(p, jp));
      }
    }
    if (unique.size() > MAX_SELECTABLE_FIELDS) {
      errs.add(FieldError.invalid(path, (long) unique.size(), "must have at most " + MAX_SELECTABLE_FIELDS + " items"));
    }
  }
}
