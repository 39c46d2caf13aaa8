package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates custom objects against a CRD schema as apiextensions-apiserver does with kube-openapi:
 * the same keywords, paths ({@code spec.replicas}, {@code spec.items[1].name}) and messages
 * ({@code spec.replicas in body must be of type integer: "string"}), followed by the uniqueness of
 * {@code x-kubernetes-list-type} set and map lists. Run it after {@link SchemaPruner} and {@link
 * SchemaDefaulter}, as upstream validates the pruned, defaulted object.
 *
 * <p>Deviations from upstream, for want of FieldError types: maxItems/maxProperties failures are
 * {@code Invalid value} (upstream: {@code Too many}), type failures are {@code Invalid value}
 * (upstream's FieldValueTypeInvalid prints the same).
 */
public final class SchemaValidator {
  private static final Set<String> ROOT_META = Set.of("apiVersion", "kind", "metadata");

  private SchemaValidator() {}

  /**
   * The schema errors of custom object {@code obj}. {@code apiVersion}, {@code kind} and {@code
   * metadata} at the root are left to the caller, except {@code metadata.name} and {@code
   * metadata.generateName}, which are checked against the restrictions the schema may put on them.
   */
  public static List<FieldError> validate(JsonNode obj, StructuralSchema schema) {
    Run r = new Run("");
    if (obj == null || schema == null) {
      return r.errors();
    }
    value(obj, schema.raw(), "", true, r);
    JsonNode metaSchema = schema.raw().path("properties").path("metadata").path("properties");
    for (String f : List.of("name", "generateName")) {
      JsonNode fs = metaSchema.get(f);
      JsonNode v = obj.path("metadata").get(f);
      if (fs != null && fs.isObject() && v != null) {
        value(v, fs, "metadata." + f, false, r);
      }
    }
    r.errors().addAll(ListTypes.validate(obj, schema));
    return r.errors();
  }

  /**
   * The schema errors of any value against {@code schema}, with paths under {@code fieldPath} (the
   * path of the value itself, e.g. {@code ...properties[replicas].default}); no list-type checks,
   * no special root fields.
   */
  public static List<FieldError> validateValue(JsonNode value, StructuralSchema schema, String fieldPath) {
    Run r = new Run(fieldPath);
    value(value, schema.raw(), "", false, r);
    return r.errors();
  }

  /** Validates {@code v} at kube-openapi name {@code name} against schema node {@code s}. */
  static void value(JsonNode v, JsonNode s, String name, boolean root, Run r) {
    if (s == null || !s.isObject()) {
      return;
    }
    ScalarChecks.type(v, s, name, r);
    if (v.isNull()) {
      ScalarChecks.enumeration(v, s, name, r);
      return;
    }
    junctors(v, s, name, r);
    if (v.isTextual()) {
      ScalarChecks.string(v.asText(), s, name, r);
    }
    if (v.isNumber()) {
      ScalarChecks.number(v, s, name, r);
    }
    if (v.isArray()) {
      array(v, s, name, r);
    }
    ScalarChecks.enumeration(v, s, name, r);
    if (v.isObject()) {
      object(v, s, name, root, r);
    }
  }

  private static void array(JsonNode v, JsonNode s, String name, Run r) {
    JsonNode items = s.get("items");
    if (items != null && items.isObject()) {
      for (int i = 0; i < v.size(); i++) {
        value(v.get(i), items, name + "[" + i + "]", false, r);
      }
    }
    if (s.has("minItems") && v.size() < s.get("minItems").asLong()) {
      r.add(FieldError.invalid(r.field(name), (long) v.size(),
          name + " in body should have at least " + s.get("minItems").asLong() + " items"));
    }
    if (s.has("maxItems") && v.size() > s.get("maxItems").asLong()) {
      r.add(tooMany(r.field(name), v.size(), s.get("maxItems").asLong()));
    }
    if (s.path("uniqueItems").asBoolean(false)) {
      for (int i = 0; i < v.size(); i++) {
        for (int j = 0; j < i; j++) {
          if (ScalarChecks.equal(v.get(i), v.get(j))) {
            r.add(FieldError.invalid(r.field(name), "", name + " in body shouldn't contain duplicates"));
            return;
          }
        }
      }
    }
  }

  private static void object(JsonNode v, JsonNode s, String name, boolean root, Run r) {
    if (s.has("minProperties") && v.size() < s.get("minProperties").asLong()) {
      r.add(FieldError.invalid(r.field(name), (long) v.size(),
          name + " in body should have at least " + s.get("minProperties").asLong() + " properties"));
    }
    if (s.has("maxProperties") && v.size() > s.get("maxProperties").asLong()) {
      r.add(tooMany(r.field(name), v.size(), s.get("maxProperties").asLong()));
    }
    JsonNode props = s.path("properties");
    JsonNode ap = s.get("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (props.has(k) || (root && ROOT_META.contains(k))) {
        continue;
      }
      if (ap != null && ap.isBoolean() && !ap.asBoolean()) {
        r.add(FieldError.invalid(r.field(name), k, name + "." + k + " in body is a forbidden property"));
      } else if (ap != null && ap.isObject()) {
        value(e.getValue(), ap, name + "." + k, false, r);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode x = v.get(p.getKey());
      if (x != null && !(root && ROOT_META.contains(p.getKey()))) {
        value(x, p.getValue(), Run.join(name, p.getKey()), false, r);
      }
    }
    for (JsonNode req : s.path("required")) {
      if (!v.has(req.asText())) {
        r.add(FieldError.required(r.field(Run.join(name, req.asText())), ""));
      }
    }
  }

  /** allOf, anyOf, oneOf and not, with kube-openapi's composite messages. */
  private static void junctors(JsonNode v, JsonNode s, String name, Run r) {
    String at = Paths.orNil(r.prefix());
    JsonNode anyOf = s.get("anyOf");
    if (anyOf != null && anyOf.isArray() && !anyOf.isEmpty()) {
      List<FieldError> best = null;
      boolean ok = false;
      for (JsonNode sub : anyOf) {
        List<FieldError> errs = sub(v, sub, name, r);
        if (errs.isEmpty()) {
          ok = true;
          break;
        }
        if (best == null || errs.size() < best.size()) {
          best = errs;
        }
      }
      if (!ok) {
        r.add(FieldError.invalid(at, "", Run.quote(name) + " must validate at least one schema (anyOf)"));
        best.forEach(r::add);
      }
    }
    JsonNode oneOf = s.get("oneOf");
    if (oneOf != null && oneOf.isArray() && !oneOf.isEmpty()) {
      List<FieldError> best = null;
      int valid = 0;
      for (JsonNode sub : oneOf) {
        List<FieldError> errs = sub(v, sub, name, r);
        if (errs.isEmpty()) {
          valid++;
        } else if (valid == 0 && (best == null || errs.size() < best.size())) {
          best = errs;
        }
      }
      if (valid != 1) {
        String found = valid == 0 ? "Found none valid" : "Found " + valid + " valid alternatives";
        r.add(FieldError.invalid(at, "", Run.quote(name) + " must validate one and only one schema (oneOf). " + found));
        if (valid == 0 && best != null) {
          best.forEach(r::add);
        }
      }
    }
    JsonNode allOf = s.get("allOf");
    if (allOf != null && allOf.isArray() && !allOf.isEmpty()) {
      int valid = 0;
      for (JsonNode sub : allOf) {
        List<FieldError> errs = sub(v, sub, name, r);
        valid += errs.isEmpty() ? 1 : 0;
        errs.forEach(r::add);
      }
      if (valid != allOf.size()) {
        r.add(FieldError.invalid(at, "", Run.quote(name) + " must validate all the schemas (allOf)"
            + (valid == 0 ? ". None validated" : "")));
      }
    }
    JsonNode not = s.get("not");
    if (not != null && not.isObject() && sub(v, not, name, r).isEmpty()) {
      r.add(FieldError.invalid(at, "", Run.quote(name) + " must not validate the schema (not)"));
    }
  }

  private static List<FieldError> sub(JsonNode v, JsonNode schema, String name, Run parent) {
    Run r = new Run(parent.prefix());
    value(v, schema, name, false, r);
    return r.errors();
  }

  /** field.TooMany's detail; without a TooMany FieldError type it is an Invalid value. */
  private static FieldError tooMany(String field, int actual, long max) {
    return FieldError.invalid(field, (long) actual, "must have at most " + max + (max == 1 ? " item" : " items"));
  }
}
