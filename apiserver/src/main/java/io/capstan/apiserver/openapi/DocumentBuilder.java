package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceType;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the OpenAPI v3 document of one group-version. Schemas of built-in kinds come from their
 * Fabric8 model classes, generated once and shared by every document; schemas of custom kinds come
 * from their CRD ({@link CustomSchemas}) and are generated with the document. Not thread-safe:
 * {@link OpenApiV3} calls it under its lock.
 */
final class DocumentBuilder {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ModelSchemas schemas = new ModelSchemas();

  /** Generates the schemas of every built-in kind in {@code types} and the shared support schemas. */
  DocumentBuilder(Collection<ResourceType> types) {
    // Generate every schema first, so that shared schemas are complete before any document copies them.
    for (ResourceType t : types) {
      if (t.model() != null) {
        defineKind(t);
      }
    }
    defineSupportSchemas();
  }

  /** The document of {@code types}, which all belong to one group-version. */
  ObjectNode build(List<ResourceType> types) {
    ObjectNode doc = NODES.objectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", OpenApiV3.KUBERNETES_VERSION);
    ObjectNode paths = doc.putObject("paths");
    Set<String> roots = new TreeSet<>(Set.of(SchemaNames.STATUS, SchemaNames.DELETE_OPTIONS, SchemaNames.PATCH));
    Map<String, ObjectNode> components = new TreeMap<>();
    ResourceType first = types.get(0);
    for (ResourceType t : types) {
      String kindSchema;
      if (t.isCustom()) {
        kindSchema = CustomSchemas.define(t, components);
        roots.add(SchemaNames.OBJECT_META);
        roots.add(SchemaNames.LIST_META);
      } else if (t.model() != null) {
        kindSchema = SchemaNames.of(t.model());
        if (!schemas.all().containsKey(kindSchema + "List")) {
          defineKind(t); // a built-in type the catalog did not hold at construction
        }
        roots.add(kindSchema);
        roots.add(kindSchema + "List");
      } else {
        continue;
      }
      new PathItems(t, kindSchema).addTo(paths);
      if (t.hasSubresource("scale")) {
        roots.add(SchemaNames.SCALE);
      }
    }
    for (String name : closure(roots)) {
      ObjectNode schema = schemas.all().get(name).deepCopy();
      if (name.equals(SchemaNames.DELETE_OPTIONS)) {
        ArrayNode gvks = gvkList("", "v1", "DeleteOptions");
        if (!first.group().isEmpty()) {
          gvks.add(PathItems.gvk(first.group(), first.version(), "DeleteOptions"));
        }
        schema.set("x-kubernetes-group-version-kind", gvks);
      }
      components.put(name, schema);
    }
    ObjectNode out = doc.putObject("components").putObject("schemas");
    components.forEach(out::set);
    return doc;
  }

  private void defineKind(ResourceType t) {
    String name = schemas.define(t.model());
    ObjectNode schema = schemas.all().get(name);
    schema.put("description", Descriptions.kind(t.kind()));
    ObjectNode props = (ObjectNode) schema.get("properties");
    describe(props, "apiVersion", Descriptions.API_VERSION);
    describe(props, "kind", Descriptions.KIND);
    describe(props, "metadata", Descriptions.METADATA);
    describe(props, "spec", Descriptions.SPEC);
    describe(props, "status", Descriptions.STATUS);
    schema.set("x-kubernetes-group-version-kind", gvkList(t.group(), t.version(), t.kind()));

    ObjectNode list = NODES.objectNode();
    list.put("description", Descriptions.list(t.kind()));
    list.put("type", "object");
    ObjectNode lp = list.putObject("properties");
    lp.set("apiVersion", described(ModelSchemas.primitive("string", null), Descriptions.API_VERSION));
    ObjectNode items = lp.putObject("items");
    items.put("description", Descriptions.ITEMS);
    items.put("type", "array");
    items.set("items", ModelSchemas.ref(name));
    lp.set("kind", described(ModelSchemas.primitive("string", null), Descriptions.KIND));
    lp.set("metadata", described(ModelSchemas.ref(SchemaNames.LIST_META), Descriptions.LIST_METADATA));
    list.putArray("required").add("items");
    list.set("x-kubernetes-group-version-kind", gvkList(t.group(), t.version(), t.listKind()));
    schemas.put(name + "List", list);
  }

  private void defineSupportSchemas() {
    schemas.define(io.fabric8.kubernetes.api.model.ObjectMeta.class);
    schemas.define(io.fabric8.kubernetes.api.model.ListMeta.class);
    schemas.define(io.fabric8.kubernetes.api.model.DeleteOptions.class);
    String status = schemas.define(io.fabric8.kubernetes.api.model.Status.class);
    schemas.all().get(status).set("x-kubernetes-group-version-kind", gvkList("", "v1", "Status"));

    ObjectNode patch = NODES.objectNode();
    patch.put("description", "The body of a PATCH request; its format depends on the Content-Type.");
    patch.put("type", "object");
    schemas.put(SchemaNames.PATCH, patch);

    ObjectNode scaleSpec = NODES.objectNode();
    scaleSpec.put("type", "object");
    scaleSpec.putObject("properties").set("replicas", ModelSchemas.primitive("integer", "int32"));
    schemas.put("io.k8s.api.autoscaling.v1.ScaleSpec", scaleSpec);
    ObjectNode scaleStatus = NODES.objectNode();
    scaleStatus.put("type", "object");
    ObjectNode ssp = scaleStatus.putObject("properties");
    ssp.set("replicas", ModelSchemas.primitive("integer", "int32"));
    ssp.set("selector", ModelSchemas.primitive("string", null));
    scaleStatus.putArray("required").add("replicas");
    schemas.put("io.k8s.api.autoscaling.v1.ScaleStatus", scaleStatus);
    ObjectNode scale = NODES.objectNode();
    scale.put("description", Descriptions.kind("Scale"));
    scale.put("type", "object");
    ObjectNode sp = scale.putObject("properties");
    sp.set("apiVersion", described(ModelSchemas.primitive("string", null), Descriptions.API_VERSION));
    sp.set("kind", described(ModelSchemas.primitive("string", null), Descriptions.KIND));
    sp.set("metadata", described(ModelSchemas.ref(SchemaNames.OBJECT_META), Descriptions.METADATA));
    sp.set("spec", described(ModelSchemas.ref("io.k8s.api.autoscaling.v1.ScaleSpec"), Descriptions.SPEC));
    sp.set("status", described(ModelSchemas.ref("io.k8s.api.autoscaling.v1.ScaleStatus"), Descriptions.STATUS));
    scale.set("x-kubernetes-group-version-kind", gvkList("autoscaling", "v1", "Scale"));
    schemas.put(SchemaNames.SCALE, scale);
  }

  /** The names of {@code roots} and every shared schema they reference, transitively, sorted. */
  private Set<String> closure(Set<String> roots) {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      ObjectNode schema = schemas.all().get(name);
      if (schema == null) {
        throw new IllegalStateException("schema not generated: " + name);
      }
      if (seen.add(name)) {
        collectRefs(schema, todo);
      }
    }
    return seen;
  }

  private static void collectRefs(JsonNode node, Deque<String> out) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        out.push(ref.asText().substring(ModelSchemas.REF_PREFIX.length()));
      }
    }
    for (JsonNode child : node) {
      collectRefs(child, out);
    }
  }

  private static void describe(ObjectNode properties, String field, String description) {
    if (properties != null && properties.has(field)) {
      properties.set(field, described((ObjectNode) properties.get(field), description));
    }
  }

  private static ObjectNode described(ObjectNode property, String description) {
    ObjectNode p = ModelSchemas.wrapRef(property);
    p.put("description", description);
    return p;
  }

  private static ArrayNode gvkList(String group, String version, String kind) {
    return NODES.arrayNode().add(PathItems.gvk(group, version, kind));
  }
}
