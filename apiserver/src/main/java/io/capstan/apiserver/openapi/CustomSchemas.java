package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceType;
import java.util.Map;

/**
 * Component schemas of a custom resource kind, generated the way the upstream CRD OpenAPI builder
 * does: the version's {@code openAPIV3Schema} as given (descriptions included, which is what
 * {@code kubectl explain} prints), with {@code apiVersion} and {@code kind} set to the standard
 * TypeMeta fields, {@code metadata} replaced by a reference to ObjectMeta, embedded resources
 * ({@code x-kubernetes-embedded-resource}) given the same three fields, and the
 * group-version-kind extension; plus the matching List schema. Without a schema the kind is a bare
 * {@code object}, so that clients do not validate against guessed fields.
 */
final class CustomSchemas {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CustomSchemas() {}

  /** The schema name of a custom kind, e.g. {@code com.example.stable.v1.CronTab}. */
  static String name(ResourceType t) {
    return SchemaNames.custom(t.group(), t.version(), t.kind());
  }

  /** Puts the kind and list schemas of custom type {@code t} into {@code out}; returns the kind schema name. */
  static String define(ResourceType t, Map<String, ObjectNode> out) {
    String name = name(t);
    out.put(name, kind(t));
    out.put(name + "List", list(t, name));
    return name;
  }

  private static ObjectNode kind(ResourceType t) {
    JsonNode given = t.custom().schema();
    ObjectNode schema;
    if (given == null || !given.isObject()) {
      schema = NODES.objectNode();
      schema.put("type", "object");
    } else {
      schema = ((ObjectNode) given).deepCopy();
      addTypeAndObjectMeta(schema);
      embedded(schema, true);
    }
    schema.set("x-kubernetes-group-version-kind", gvkList(t.group(), t.version(), t.kind()));
    return schema;
  }

  private static ObjectNode list(ResourceType t, String kindName) {
    ObjectNode list = NODES.objectNode();
    list.put("description", t.listKind() + " is a list of " + t.kind() + ".");
    list.put("type", "object");
    ObjectNode p = list.putObject("properties");
    p.set("apiVersion", string(Descriptions.API_VERSION));
    ObjectNode items = p.putObject("items");
    items.put("description", "List of " + t.plural() + ".");
    items.put("type", "array");
    items.set("items", ModelSchemas.ref(kindName));
    p.set("kind", string(Descriptions.KIND));
    p.set("metadata", described(SchemaNames.LIST_META, Descriptions.LIST_METADATA));
    list.putArray("required").add("items");
    list.set("x-kubernetes-group-version-kind", gvkList(t.group(), t.version(), t.listKind()));
    return list;
  }

  /**
   * Sets apiVersion, kind (TypeMeta) and metadata (ObjectMeta) first in {@code schema}'s properties,
   * replacing whatever the CRD said about them, and keeps the other properties in their order.
   */
  private static void addTypeAndObjectMeta(ObjectNode schema) {
    ObjectNode props = NODES.objectNode();
    props.set("apiVersion", string(Descriptions.API_VERSION));
    props.set("kind", string(Descriptions.KIND));
    props.set("metadata", described(SchemaNames.OBJECT_META, Descriptions.METADATA));
    JsonNode given = schema.get("properties");
    if (given != null && given.isObject()) {
      given.properties().forEach(e -> props.putIfAbsent(e.getKey(), e.getValue()));
    }
    schema.set("properties", props);
  }

  /** Adds TypeMeta and ObjectMeta to every nested {@code x-kubernetes-embedded-resource} schema. */
  private static void embedded(JsonNode node, boolean root) {
    if (!(node instanceof ObjectNode schema)) {
      return;
    }
    JsonNode props = schema.get("properties");
    if (props != null && props.isObject()) {
      props.forEach(p -> embedded(p, false));
    }
    embedded(schema.get("items"), false);
    embedded(schema.get("additionalProperties"), false);
    if (!root && schema.path("x-kubernetes-embedded-resource").asBoolean(false)) {
      addTypeAndObjectMeta(schema);
      JsonNode required = schema.get("required");
      ArrayNode req = required != null && required.isArray() ? (ArrayNode) required : schema.putArray("required");
      for (String field : new String[] {"kind", "apiVersion"}) {
        boolean present = false;
        for (JsonNode r : req) {
          present |= r.asText().equals(field);
        }
        if (!present) {
          req.add(field);
        }
      }
    }
  }

  private static ObjectNode string(String description) {
    ObjectNode s = NODES.objectNode();
    s.put("description", description);
    s.put("type", "string");
    return s;
  }

  private static ObjectNode described(String schemaName, String description) {
    ObjectNode p = ModelSchemas.wrapRef(ModelSchemas.ref(schemaName));
    p.put("description", description);
    return p;
  }

  private static ArrayNode gvkList(String group, String version, String kind) {
    return NODES.arrayNode().add(PathItems.gvk(group, version, kind));
  }
}
