package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds OpenAPI component schemas from Fabric8 model classes by reflection: {@code @JsonProperty}
 * names, {@code @JsonPropertyOrder} order, Java types mapped to OpenAPI types, nested model
 * classes as {@code $ref}s, and the {@link PatchMetadata} extensions. Not thread-safe: {@link
 * OpenApiV3} uses it under its lock.
 */
final class ModelSchemas {
  static final String REF_PREFIX = "#/components/schemas/";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * JSON field names whose Go type is metav1.Time or metav1.MicroTime; Fabric8 models them as
   * String (a String field of this name is a timestamp in every served kind).
   */
  private static final Set<String> TIME_FIELDS = Set.of(
      "creationTimestamp", "deletionTimestamp", "time", "lastTransitionTime", "lastProbeTime",
      "lastHeartbeatTime", "lastUpdateTime", "startedAt", "finishedAt", "startTime", "completionTime",
      "lastScheduleTime", "lastSuccessfulTime", "firstTimestamp", "lastTimestamp",
      "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "timeAdded", "lastPhaseTransitionTime",
      "evictionTime", "lastScaleTime", "lastObservedTime", "eventTime", "acquireTime", "renewTime");

  /**
   * apiextensions types that hold either a schema or something else (a bool, an array, any JSON
   * value): upstream publishes them without a type, so that any value validates.
   */
  private static final Map<String, String> SCHEMALESS = Map.of(
      SchemaNames.JSON, "Any valid JSON value: boolean, number, string, array, object or null.",
      SchemaNames.APIEXTENSIONS + "JSONSchemaPropsOrArray", "A JSONSchemaProps or an array of JSONSchemaProps.",
      SchemaNames.APIEXTENSIONS + "JSONSchemaPropsOrBool", "A JSONSchemaProps or a boolean; true when absent.",
      SchemaNames.APIEXTENSIONS + "JSONSchemaPropsOrStringArray", "A JSONSchemaProps or an array of strings.");

  private final Map<String, ObjectNode> schemas = new TreeMap<>();

  /** All schemas generated so far, by name. */
  Map<String, ObjectNode> all() {
    return schemas;
  }

  /** Adds a hand-written schema. */
  void put(String name, ObjectNode schema) {
    schemas.put(name, schema);
  }

  /** Generates (once) the schema of a model class and everything it references; returns its name. */
  String define(Class<?> model) {
    String name = SchemaNames.of(model);
    if (schemas.containsKey(name)) {
      return name;
    }
    switch (name) {
      case SchemaNames.QUANTITY -> schemas.put(name, intOrString("string", "number"));
      case SchemaNames.INT_OR_STRING -> {
        ObjectNode s = intOrString("integer", "string");
        s.put("format", "int-or-string");
        schemas.put(name, s);
      }
      case SchemaNames.META + "MicroTime", SchemaNames.META + "Time" -> schemas.put(name, dateTime());
      default -> {
        String schemaless = SCHEMALESS.get(name);
        if (schemaless != null) {
          schemas.put(name, NODES.objectNode().put("description", schemaless));
        } else {
          defineObject(name, model);
        }
      }
    }
    return name;
  }

  /** {@code {"$ref": "#/components/schemas/<name>"}}. */
  static ObjectNode ref(String name) {
    ObjectNode r = NODES.objectNode();
    r.put("$ref", REF_PREFIX + name);
    return r;
  }

  /**
   * Makes a property schema safe to carry sibling keywords: a bare {@code $ref} becomes {@code
   * allOf: [{$ref}]}, as upstream writes it.
   */
  static ObjectNode wrapRef(ObjectNode property) {
    if (!property.has("$ref")) {
      return property;
    }
    ObjectNode wrapped = NODES.objectNode();
    wrapped.putArray("allOf").add(ref(property.get("$ref").asText().substring(REF_PREFIX.length())));
    property.properties().stream()
        .filter(e -> !e.getKey().equals("$ref"))
        .forEach(e -> wrapped.set(e.getKey(), e.getValue()));
    return wrapped;
  }

  private void defineObject(String name, Class<?> model) {
    ObjectNode schema = NODES.objectNode();
    schemas.put(name, schema); // placed first so that recursive references terminate
    schema.put("type", "object");
    ObjectNode properties = NODES.objectNode();
    for (Map.Entry<String, Field> e : jsonFields(model).entrySet()) {
      properties.set(e.getKey(), property(name, e.getKey(), e.getValue().getGenericType()));
    }
    if (!properties.isEmpty()) {
      schema.set("properties", properties);
    } else if (name.equals(SchemaNames.META + "FieldsV1")) {
      schema.put("x-kubernetes-preserve-unknown-fields", true);
    }
  }

  private ObjectNode property(String owner, String field, Type type) {
    ObjectNode p = typeSchema(type, field);
    var meta = PatchMetadata.lookup(owner, field);
    if (meta.isEmpty()) {
      return p;
    }
    ObjectNode out = wrapRef(p);
    PatchMetadata.Field m = meta.get();
    if (m.listType() != null) {
      out.put("x-kubernetes-list-type", m.listType());
    }
    if (!m.mapKeys().isEmpty()) {
      ArrayNode keys = out.putArray("x-kubernetes-list-map-keys");
      m.mapKeys().forEach(keys::add);
    }
    if (m.mergeKey() != null) {
      out.put("x-kubernetes-patch-merge-key", m.mergeKey());
    }
    if (m.strategy() != null) {
      out.put("x-kubernetes-patch-strategy", m.strategy());
    }
    return out;
  }

  private ObjectNode typeSchema(Type type, String field) {
    if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
      Type[] args = pt.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode array = NODES.objectNode();
        array.put("type", "array");
        array.set("items", typeSchema(args[0], field));
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = NODES.objectNode();
        map.put("type", "object");
        map.set("additionalProperties", typeSchema(args[1], field));
        return map;
      }
      return typeSchema(raw, field);
    }
    if (type instanceof WildcardType w) {
      return typeSchema(w.getUpperBounds()[0], field);
    }
    if (!(type instanceof Class<?> c)) {
      return preserveUnknown();
    }
    if (isJsonNode(c)) {
      // only apiextensions' default, example and enum values are modelled as raw JSON
      schemas.putIfAbsent(SchemaNames.JSON, NODES.objectNode().put("description", SCHEMALESS.get(SchemaNames.JSON)));
      return ref(SchemaNames.JSON);
    }
    if (c == String.class) {
      return TIME_FIELDS.contains(field) ? dateTime() : primitive("string", null);
    }
    if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
      return primitive("integer", "int32");
    }
    if (c == Long.class || c == long.class) {
      return primitive("integer", "int64");
    }
    if (c == Boolean.class || c == boolean.class) {
      return primitive("boolean", null);
    }
    if (c == Double.class || c == double.class) {
      return primitive("number", "double");
    }
    if (c == Float.class || c == float.class) {
      return primitive("number", "float");
    }
    if (c == byte[].class) {
      return primitive("string", "byte");
    }
    if (Temporal.class.isAssignableFrom(c) || c == java.util.Date.class) {
      return dateTime();
    }
    if (c.isEnum()) {
      ObjectNode e = primitive("string", null);
      ArrayNode values = e.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(constant.toString());
      }
      return e;
    }
    if (c.getPackageName().startsWith("io.fabric8.kubernetes.api.model") && !c.isInterface()) {
      String name = define(c);
      if (name.equals(SchemaNames.META + "MicroTime") || name.equals(SchemaNames.META + "Time")) {
        return dateTime();
      }
      return ref(name);
    }
    return preserveUnknown();
  }

  /** Whether {@code c} is a Jackson tree node (Jackson 2 or 3: Fabric8 models use the latter). */
  private static boolean isJsonNode(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      if (k.getName().equals("com.fasterxml.jackson.databind.JsonNode")
          || k.getName().equals("tools.jackson.databind.JsonNode")) {
        return true;
      }
    }
    return false;
  }

  /** JSON properties of a model class: {@code @JsonPropertyOrder} first, then declaration order. */
  static Map<String, Field> jsonFields(Class<?> model) {
    Map<String, Field> byName = new LinkedHashMap<>();
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = model; c != null && c != Object.class; c = c.getSuperclass()) {
      chain.add(0, c);
    }
    for (Class<?> c : chain) {
      for (Field f : c.getDeclaredFields()) {
        JsonProperty p = f.getAnnotation(JsonProperty.class);
        if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonIgnore.class) || p == null) {
          continue;
        }
        byName.put(p.value().isEmpty() ? f.getName() : p.value(), f);
      }
    }
    Map<String, Field> ordered = new LinkedHashMap<>();
    JsonPropertyOrder order = model.getAnnotation(JsonPropertyOrder.class);
    if (order != null) {
      for (String n : order.value()) {
        if (byName.containsKey(n)) {
          ordered.put(n, byName.get(n));
        }
      }
    }
    byName.forEach(ordered::putIfAbsent);
    return ordered;
  }

  static ObjectNode primitive(String type, String format) {
    ObjectNode p = NODES.objectNode();
    p.put("type", type);
    if (format != null) {
      p.put("format", format);
    }
    return p;
  }

  static ObjectNode dateTime() {
    return primitive("string", "date-time");
  }

  static ObjectNode preserveUnknown() {
    ObjectNode p = NODES.objectNode();
    p.put("type", "object");
    p.put("x-kubernetes-preserve-unknown-fields", true);
    return p;
  }

  private static ObjectNode intOrString(String first, String second) {
    ObjectNode s = NODES.objectNode();
    ArrayNode oneOf = s.putArray("oneOf");
    oneOf.add(primitive(first, null));
    oneOf.add(primitive(second, null));
    s.put("x-kubernetes-int-or-string", true);
    return s;
  }
}
