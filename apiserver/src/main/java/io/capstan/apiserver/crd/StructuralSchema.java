package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural part of a CRD's {@code openAPIV3Schema} (a JSONSchemaProps tree): types,
 * properties, items, additionalProperties, defaults and the {@code x-kubernetes-*} extensions that
 * drive pruning, defaulting and list semantics. Value validations (enum, pattern, allOf, ...) stay
 * in {@link #raw()}, which {@link SchemaValidator} reads. Instances are immutable.
 *
 * <p>{@link #parse} is lenient: fields a structural schema may not have ($ref, items arrays, ...)
 * are ignored. Check a schema with {@link #checkStructural} before trusting it.
 */
public final class StructuralSchema {
  private final JsonNode raw;
  private final String type;
  private final boolean nullable;
  private final JsonNode defaultValue;
  private final Map<String, StructuralSchema> properties;
  private final StructuralSchema items;
  private final boolean hasAdditionalProperties;
  private final StructuralSchema additionalProperties;
  private final boolean preserveUnknownFields;
  private final boolean intOrString;
  private final boolean embeddedResource;
  private final String listType;
  private final List<String> listMapKeys;
  private final String mapType;

  private StructuralSchema(JsonNode raw) {
    this.raw = raw;
    this.type = raw.path("type").isTextual() ? raw.get("type").asText() : "";
    this.nullable = raw.path("nullable").asBoolean(false);
    JsonNode d = raw.get("default");
    this.defaultValue = d == null || d.isNull() ? null : d;
    Map<String, StructuralSchema> props = new LinkedHashMap<>();
    JsonNode p = raw.get("properties");
    if (p != null && p.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isObject()) {
          props.put(e.getKey(), new StructuralSchema(e.getValue()));
        }
      }
    }
    this.properties = Collections.unmodifiableMap(props);
    JsonNode i = raw.get("items");
    this.items = i != null && i.isObject() ? new StructuralSchema(i) : null;
    JsonNode ap = raw.get("additionalProperties");
    this.hasAdditionalProperties = ap != null && (ap.isObject() || ap.isBoolean());
    this.additionalProperties = ap != null && ap.isObject() ? new StructuralSchema(ap) : null;
    this.preserveUnknownFields = raw.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    this.intOrString = raw.path("x-kubernetes-int-or-string").asBoolean(false);
    this.embeddedResource = raw.path("x-kubernetes-embedded-resource").asBoolean(false);
    this.listType = raw.path("x-kubernetes-list-type").isTextual() ? raw.get("x-kubernetes-list-type").asText() : null;
    List<String> keys = new ArrayList<>();
    raw.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
    this.listMapKeys = List.copyOf(keys);
    this.mapType = raw.path("x-kubernetes-map-type").isTextual() ? raw.get("x-kubernetes-map-type").asText() : null;
  }

  /** Parses an {@code openAPIV3Schema}; a missing or non-object schema parses as the empty schema. */
  public static StructuralSchema parse(JsonNode openAPIV3Schema) {
    if (openAPIV3Schema == null || !openAPIV3Schema.isObject()) {
      return new StructuralSchema(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }
    return new StructuralSchema(openAPIV3Schema);
  }

  /**
   * The errors that make {@code schema} unacceptable as a CRD version's {@code openAPIV3Schema}, as
   * apiextensions-apiserver reports them: the structural invariants (every specified field typed,
   * array items given, metadata restricted to name/generateName, value validations free of
   * structure), the defaults (valid and pruned), and the OpenAPI subset CRDs allow ($ref,
   * definitions, dependencies, patternProperties, additionalItems, uniqueItems, items arrays are
   * forbidden; properties and additionalProperties exclusive; list/map type extensions consistent).
   * Paths are under {@code fieldPath}, e.g. {@code spec.validation.openAPIV3Schema}. Empty when the
   * schema is fine.
   */
  public static List<FieldError> checkStructural(JsonNode schema, String fieldPath) {
    return StructuralChecks.check(schema, fieldPath);
  }

  /** The JSONSchemaProps node this was parsed from. */
  public JsonNode raw() {
    return raw;
  }

  /** {@code type}, or "" when unset. */
  public String type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  /** {@code default}, or null when unset (a literal null default counts as unset, as upstream). */
  public JsonNode defaultValue() {
    return defaultValue;
  }

  /** {@code properties} in document order; empty when unset. */
  public Map<String, StructuralSchema> properties() {
    return properties;
  }

  /** {@code items} when it is a single schema, else null. */
  public StructuralSchema items() {
    return items;
  }

  /** Whether {@code additionalProperties} is set at all (true, false or a schema). */
  public boolean hasAdditionalProperties() {
    return hasAdditionalProperties;
  }

  /** {@code additionalProperties} when it is a schema, else null. */
  public StructuralSchema additionalProperties() {
    return additionalProperties;
  }

  public boolean preserveUnknownFields() {
    return preserveUnknownFields;
  }

  public boolean intOrString() {
    return intOrString;
  }

  public boolean embeddedResource() {
    return embeddedResource;
  }

  /** {@code x-kubernetes-list-type} (atomic, set, map) or null. */
  public String listType() {
    return listType;
  }

  public List<String> listMapKeys() {
    return listMapKeys;
  }

  /** {@code x-kubernetes-map-type} (atomic, granular) or null. */
  public String mapType() {
    return mapType;
  }

  /** The schema of {@code field} of an object: its property, else additionalProperties; or null. */
  public StructuralSchema fieldSchema(String field) {
    StructuralSchema p = properties.get(field);
    return p != null ? p : additionalProperties;
  }

  @Override
  public String toString() {
    return raw.toString();
  }
}
