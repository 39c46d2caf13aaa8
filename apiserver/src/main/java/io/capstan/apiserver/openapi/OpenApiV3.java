package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI v3 documents of a {@link ResourceCatalog}, one per served group-version, generated
 * once at construction from the Fabric8 model classes and cached as bytes. Thread-safe after
 * construction.
 *
 * <p>Serve {@link #root()} at {@code /openapi/v3} and {@link #document(String)} at {@code
 * /openapi/v3/<gvPath>}; use {@link #hash(String)} as the ETag (quoted) and to decide whether a
 * {@code ?hash=} request may be cached as immutable.
 */
public final class OpenApiV3 {
  /** The Kubernetes version the documents describe. */
  public static final String KUBERNETES_VERSION = "v1.32.4";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, byte[]> documents = new LinkedHashMap<>();
  private final Map<String, String> hashes = new LinkedHashMap<>();

  public OpenApiV3(ResourceCatalog catalog) {
    ModelSchemas schemas = new ModelSchemas();
    Map<String, List<ResourceType>> byGv = new LinkedHashMap<>();
    for (ResourceType t : catalog.all()) {
      byGv.computeIfAbsent(gvPath(t), k -> new ArrayList<>()).add(t);
    }
    // Generate every schema first, so that shared schemas are complete before any document copies them.
    for (ResourceType t : catalog.all()) {
      if (t.model() != null) {
        defineKind(schemas, t);
      }
    }
    defineSupportSchemas(schemas);
    byGv.forEach((gv, types) -> {
      byte[] bytes = serialize(build(schemas, types));
      documents.put(gv, bytes);
      hashes.put(gv, sha512(bytes));
    });
  }

  /** {@code "api/v1"} or {@code "apis/<group>/<version>"}: the document path of a resource's group-version. */
  public static String gvPath(ResourceType t) {
    return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
  }

  /** The served document paths, e.g. {@code ["api/v1", "apis/apps/v1", ...]}. */
  public List<String> gvPaths() {
    return List.copyOf(documents.keySet());
  }

  /** The discovery document for {@code GET /openapi/v3}: one entry per served group-version. */
  public ObjectNode root() {
    ObjectNode root = NODES.objectNode();
    ObjectNode paths = root.putObject("paths");
    hashes.forEach((gv, hash) ->
        paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash));
    return root;
  }

  /** The JSON bytes of one group-version document ({@code "api/v1"}, {@code "apis/apps/v1"}). */
  public Optional<byte[]> document(String gvPath) {
    byte[] bytes = documents.get(normalize(gvPath));
    return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
  }

  /** Uppercase hex SHA-512 of the document bytes; null for an unknown group-version. */
  public String hash(String gvPath) {
    return hashes.get(normalize(gvPath));
  }

  private static String normalize(String gvPath) {
    String p = gvPath.startsWith("/") ? gvPath.substring(1) : gvPath;
    return p.startsWith("openapi/v3/") ? p.substring("openapi/v3/".length()) : p;
  }

  private static void defineKind(ModelSchemas schemas, ResourceType t) {
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

  private static void defineSupportSchemas(ModelSchemas schemas) {
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
    sp.set("metadata", described(ModelSchemas.ref(SchemaNames.META + "ObjectMeta"), Descriptions.METADATA));
    sp.set("spec", described(ModelSchemas.ref("io.k8s.api.autoscaling.v1.ScaleSpec"), Descriptions.SPEC));
    sp.set("status", described(ModelSchemas.ref("io.k8s.api.autoscaling.v1.ScaleStatus"), Descriptions.STATUS));
    scale.set("x-kubernetes-group-version-kind", gvkList("autoscaling", "v1", "Scale"));
    schemas.put(SchemaNames.SCALE, scale);
  }

  private static ObjectNode build(ModelSchemas schemas, List<ResourceType> types) {
    ObjectNode doc = NODES.objectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", KUBERNETES_VERSION);
    ObjectNode paths = doc.putObject("paths");
    Set<String> roots = new TreeSet<>(Set.of(SchemaNames.STATUS, SchemaNames.DELETE_OPTIONS, SchemaNames.PATCH));
    ResourceType first = types.get(0);
    for (ResourceType t : types) {
      if (t.model() == null) {
        continue;
      }
      String kindSchema = SchemaNames.of(t.model());
      new PathItems(t, kindSchema).addTo(paths);
      roots.add(kindSchema);
      roots.add(kindSchema + "List");
      if (t.hasSubresource("scale")) {
        roots.add(SchemaNames.SCALE);
      }
    }
    ObjectNode components = doc.putObject("components").putObject("schemas");
    for (String name : closure(schemas, roots)) {
      ObjectNode schema = schemas.all().get(name).deepCopy();
      if (name.equals(SchemaNames.DELETE_OPTIONS)) {
        ArrayNode gvks = gvkList("", "v1", "DeleteOptions");
        if (!first.group().isEmpty()) {
          gvks.add(PathItems.gvk(first.group(), first.version(), "DeleteOptions"));
        }
        schema.set("x-kubernetes-group-version-kind", gvks);
      }
      components.set(name, schema);
    }
    return doc;
  }

  /** The names of {@code roots} and every schema they reference, transitively, sorted. */
  private static Set<String> closure(ModelSchemas schemas, Set<String> roots) {
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

  private static byte[] serialize(ObjectNode doc) {
    try {
      return MAPPER.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize OpenAPI document", e);
    }
  }

  private static String sha512(byte[] bytes) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 unavailable", e);
    }
  }
}
