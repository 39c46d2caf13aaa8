package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceType;
import java.util.List;
import java.util.Locale;

/**
 * OpenAPI path items for one resource: the collection, the all-namespaces list, the object, and
 * its status and scale subresources. Every operation carries {@code x-kubernetes-action} and
 * {@code x-kubernetes-group-version-kind}; writes advertise {@code dryRun}, {@code fieldManager}
 * and {@code fieldValidation}, which is what kubectl checks before server-side validation.
 */
final class PathItems {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> RESPONSE_TYPES = List.of("application/json", "application/yaml");
  static final List<String> PATCH_TYPES = List.of("application/json-patch+json",
      "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");

  private final ResourceType type;
  private final String kindSchema;
  private final String tag;
  private final String idPrefix;

  PathItems(ResourceType type, String kindSchema) {
    this.type = type;
    this.kindSchema = kindSchema;
    String group = groupTag(type.group());
    this.tag = group + "_" + type.version();
    this.idPrefix = camel(group) + camel(type.version());
  }

  /** Adds this resource's path items to {@code paths}. */
  void addTo(ObjectNode paths) {
    String ns = type.namespaced() ? "/namespaces/{namespace}" : "";
    String collection = type.pathPrefix() + ns + "/" + type.plural();
    String item = collection + "/{name}";
    String scope = type.namespaced() ? "Namespaced" : "";
    String kind = type.kind();
    ObjectNode gvk = gvk(type.group(), type.version(), kind);

    ObjectNode c = pathItem(false);
    c.set("get", op("list", "list" + idPrefix + scope + kind, "List or watch " + type.plural() + ".", gvk)
        .params(LIST_PARAMS).response("200", kindSchema + "List").done());
    c.set("post", op("post", "create" + idPrefix + scope + kind, "Create a " + kind + ".", gvk)
        .params(WRITE_PARAMS).body(kindSchema)
        .response("200", kindSchema).response("201", kindSchema).response("202", kindSchema).done());
    c.set("delete", op("deletecollection", "delete" + idPrefix + "Collection" + scope + kind,
        "Delete a collection of " + type.plural() + ".", gvk)
        .params(DELETE_PARAMS).params(LIST_PARAMS).deleteBody().response("200", SchemaNames.STATUS).done());
    paths.set(collection, c);

    if (type.namespaced()) {
      ObjectNode all = NODES.objectNode();
      all.set("get", op("list", "list" + idPrefix + kind + "ForAllNamespaces",
          "List or watch " + type.plural() + " in all namespaces.", gvk)
          .params(LIST_PARAMS).response("200", kindSchema + "List").done());
      all.set("parameters", NODES.arrayNode().add(query("pretty", "string")));
      paths.set(type.pathPrefix() + "/" + type.plural(), all);
    }

    ObjectNode o = pathItem(true);
    o.set("get", op("get", "read" + idPrefix + scope + kind, "Read the given " + kind + ".", gvk)
        .response("200", kindSchema).done());
    o.set("put", op("put", "replace" + idPrefix + scope + kind, "Replace the given " + kind + ".", gvk)
        .params(WRITE_PARAMS).body(kindSchema).response("200", kindSchema).response("201", kindSchema).done());
    o.set("patch", patch("patch" + idPrefix + scope + kind, "Partially update the given " + kind + ".", gvk,
        kindSchema));
    o.set("delete", op("delete", "delete" + idPrefix + scope + kind, "Delete the given " + kind + ".", gvk)
        .params(DELETE_PARAMS).deleteBody()
        .response("200", SchemaNames.STATUS).response("202", SchemaNames.STATUS).done());
    paths.set(item, o);

    if (type.hasSubresource("status")) {
      paths.set(item + "/status", subresource("Status", "status", gvk, kindSchema));
    }
    if (type.hasSubresource("scale")) {
      paths.set(item + "/scale", subresource("Scale", "scale", gvk("autoscaling", "v1", "Scale"), SchemaNames.SCALE));
    }
  }

  private ObjectNode subresource(String suffix, String name, ObjectNode gvk, String schema) {
    String scope = type.namespaced() ? "Namespaced" : "";
    String id = idPrefix + scope + type.kind() + suffix;
    ObjectNode s = pathItem(true);
    s.set("get", op("get", "read" + id, "Read the " + name + " of the given " + type.kind() + ".", gvk)
        .response("200", schema).done());
    s.set("put", op("put", "replace" + id, "Replace the " + name + " of the given " + type.kind() + ".", gvk)
        .params(WRITE_PARAMS).body(schema).response("200", schema).response("201", schema).done());
    s.set("patch", patch("patch" + id, "Partially update the " + name + " of the given " + type.kind() + ".",
        gvk, schema));
    return s;
  }

  private ObjectNode patch(String id, String summary, ObjectNode gvk, String schema) {
    Op op = op("patch", id, summary, gvk).params(WRITE_PARAMS).params(List.of(new Param("force", "boolean")));
    ObjectNode content = NODES.objectNode();
    for (String t : PATCH_TYPES) {
      content.putObject(t).set("schema", ModelSchemas.ref(SchemaNames.PATCH));
    }
    ObjectNode body = op.node.putObject("requestBody");
    body.set("content", content);
    body.put("required", true);
    return op.response("200", schema).response("201", schema).done();
  }

  private ObjectNode pathItem(boolean named) {
    ObjectNode p = NODES.objectNode();
    ArrayNode params = NODES.arrayNode();
    if (named) {
      params.add(pathParam("name", "Name of the " + type.kind() + "."));
    }
    if (type.namespaced()) {
      params.add(pathParam("namespace", "Namespace of the objects; a namespace must exist before use."));
    }
    params.add(query("pretty", "string"));
    p.set("parameters", params);
    return p;
  }

  private Op op(String action, String id, String description, ObjectNode gvk) {
    Op op = new Op();
    op.node.putArray("tags").add(tag);
    op.node.put("description", description);
    op.node.put("operationId", id);
    op.node.putArray("parameters");
    op.node.putObject("responses");
    op.node.put("x-kubernetes-action", action);
    op.node.set("x-kubernetes-group-version-kind", gvk.deepCopy());
    return op;
  }

  /** Builder of one operation object. */
  private static final class Op {
    final ObjectNode node = NODES.objectNode();

    Op params(List<Param> params) {
      ArrayNode out = (ArrayNode) node.get("parameters");
      params.forEach(p -> out.add(query(p.name, p.type)));
      return this;
    }

    Op body(String schema) {
      ObjectNode body = node.putObject("requestBody");
      body.putObject("content").putObject("*/*").set("schema", ModelSchemas.ref(schema));
      body.put("required", true);
      return this;
    }

    Op deleteBody() {
      node.putObject("requestBody").putObject("content").putObject("*/*")
          .set("schema", ModelSchemas.ref(SchemaNames.DELETE_OPTIONS));
      return this;
    }

    Op response(String code, String schema) {
      ObjectNode r = ((ObjectNode) node.get("responses")).putObject(code);
      r.put("description", switch (code) {
        case "201" -> "Created";
        case "202" -> "Accepted";
        default -> "OK";
      });
      ObjectNode content = r.putObject("content");
      RESPONSE_TYPES.forEach(t -> content.putObject(t).set("schema", ModelSchemas.ref(schema)));
      return this;
    }

    ObjectNode done() {
      ((ObjectNode) node.get("responses")).putObject("401").put("description", "Unauthorized");
      return node;
    }
  }

  private record Param(String name, String type) {}

  private static final List<Param> WRITE_PARAMS = List.of(
      new Param("dryRun", "string"), new Param("fieldManager", "string"), new Param("fieldValidation", "string"));
  private static final List<Param> DELETE_PARAMS = List.of(
      new Param("dryRun", "string"), new Param("gracePeriodSeconds", "integer"),
      new Param("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean"),
      new Param("orphanDependents", "boolean"), new Param("propagationPolicy", "string"));
  private static final List<Param> LIST_PARAMS = List.of(
      new Param("allowWatchBookmarks", "boolean"), new Param("continue", "string"),
      new Param("fieldSelector", "string"), new Param("labelSelector", "string"), new Param("limit", "integer"),
      new Param("resourceVersion", "string"), new Param("resourceVersionMatch", "string"),
      new Param("sendInitialEvents", "boolean"), new Param("timeoutSeconds", "integer"),
      new Param("watch", "boolean"));

  private static final java.util.Map<String, String> PARAM_DOCS = java.util.Map.ofEntries(
      java.util.Map.entry("pretty", "If 'true', the output is indented."),
      java.util.Map.entry("dryRun", "'All' runs every stage of the request but persists nothing."),
      java.util.Map.entry("fieldManager", "Name of the actor making the change, recorded in managedFields."),
      java.util.Map.entry("fieldValidation",
          "How to treat unknown or duplicate fields: Ignore, Warn or Strict (reject the request)."),
      java.util.Map.entry("force", "For apply patches: take ownership of conflicting fields."),
      java.util.Map.entry("gracePeriodSeconds", "Seconds to wait before the object is deleted."),
      java.util.Map.entry("ignoreStoreReadErrorWithClusterBreakingPotential",
          "Delete objects that cannot be read from storage; may break the cluster."),
      java.util.Map.entry("orphanDependents", "Deprecated: use propagationPolicy."),
      java.util.Map.entry("propagationPolicy", "Whether and how to delete dependents: Orphan, Background or Foreground."),
      java.util.Map.entry("allowWatchBookmarks", "Ask for BOOKMARK events on a watch."),
      java.util.Map.entry("continue", "Token from a previous paged list to fetch the next page."),
      java.util.Map.entry("fieldSelector", "Restrict the result by fields, e.g. metadata.name=x."),
      java.util.Map.entry("labelSelector", "Restrict the result by labels, e.g. app=web."),
      java.util.Map.entry("limit", "Maximum number of items to return; the rest comes with a continue token."),
      java.util.Map.entry("resourceVersion", "Resource version the list or watch starts from."),
      java.util.Map.entry("resourceVersionMatch", "How resourceVersion is applied to a list: Exact or NotOlderThan."),
      java.util.Map.entry("sendInitialEvents", "Start a watch with synthetic events for the current state."),
      java.util.Map.entry("timeoutSeconds", "Time limit for a list or watch call."),
      java.util.Map.entry("watch", "Stream changes instead of returning a list."));

  private static ObjectNode query(String name, String type) {
    ObjectNode p = NODES.objectNode();
    p.put("name", name);
    p.put("in", "query");
    p.put("description", PARAM_DOCS.getOrDefault(name, name));
    ObjectNode schema = p.putObject("schema");
    schema.put("type", type);
    schema.put("uniqueItems", true);
    return p;
  }

  private static ObjectNode pathParam(String name, String description) {
    ObjectNode p = NODES.objectNode();
    p.put("name", name);
    p.put("in", "path");
    p.put("description", description);
    p.put("required", true);
    ObjectNode schema = p.putObject("schema");
    schema.put("type", "string");
    schema.put("uniqueItems", true);
    return p;
  }

  static ObjectNode gvk(String group, String version, String kind) {
    ObjectNode k = NODES.objectNode();
    k.put("group", group);
    k.put("version", version);
    k.put("kind", kind);
    return k;
  }

  /**
   * The group part of operation tags and ids, as upstream names it: "core" for the core group,
   * otherwise the group without ".k8s.io" in lower camel case ("rbacAuthorization",
   * "stableExampleCom").
   */
  static String groupTag(String group) {
    if (group.isEmpty()) {
      return "core";
    }
    String trimmed = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
    String[] parts = trimmed.split("\\.");
    StringBuilder out = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      out.append(camel(parts[i]));
    }
    return out.toString();
  }

  private static String camel(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
