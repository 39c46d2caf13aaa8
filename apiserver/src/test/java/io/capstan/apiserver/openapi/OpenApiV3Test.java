package io.capstan.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiV3Test {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ResourceCatalog CATALOG = ResourceCatalog.builtin();
  private static OpenApiV3 openApi;

  @BeforeAll
  static void build() {
    openApi = new OpenApiV3(CATALOG);
  }

  @Test
  void rootListsEveryGroupVersionWithItsHash() {
    JsonNode paths = openApi.root().get("paths");
    Set<String> expected = new TreeSet<>();
    for (String gv : CATALOG.groupVersions()) {
      expected.add(gv.contains("/") ? "apis/" + gv : "api/" + gv);
    }
    Set<String> actual = new TreeSet<>();
    paths.fieldNames().forEachRemaining(actual::add);
    assertEquals(expected, actual);
    for (String gv : actual) {
      String hash = openApi.hash(gv);
      assertTrue(hash.matches("[0-9A-F]{128}"), hash);
      assertEquals("/openapi/v3/" + gv + "?hash=" + hash, paths.get(gv).get("serverRelativeURL").asText());
    }
    assertTrue(openApi.document("apis/nope/v1").isEmpty());
    assertNull(openApi.hash("apis/nope/v1"));
  }

  @Test
  void hashIsTheContentHashAndFollowsContentChanges() throws Exception {
    for (String gv : openApi.gvPaths()) {
      byte[] doc = openApi.document(gv).orElseThrow();
      String sha512 = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(doc));
      assertEquals(sha512, openApi.hash(gv));
    }
    // deterministic: the same catalog gives the same bytes and hashes
    OpenApiV3 again = new OpenApiV3(ResourceCatalog.builtin());
    assertEquals(openApi.hash("api/v1"), again.hash("api/v1"));
    // a catalog with fewer core kinds changes the core document, and only it
    List<ResourceType> fewer = CATALOG.all().stream().filter(t -> !t.kind().equals("ConfigMap")).toList();
    OpenApiV3 smaller = new OpenApiV3(new ResourceCatalog(fewer));
    assertNotEquals(openApi.hash("api/v1"), smaller.hash("api/v1"));
    assertEquals(openApi.hash("apis/apps/v1"), smaller.hash("apis/apps/v1"));
  }

  @Test
  void documentsAreValidOpenApiJsonAndEveryRefResolves() throws IOException {
    for (String gv : openApi.gvPaths()) {
      JsonNode doc = MAPPER.readTree(openApi.document(gv).orElseThrow());
      assertEquals("3.0.0", doc.get("openapi").asText());
      assertTrue(doc.get("info").has("title"));
      assertTrue(doc.get("paths").size() > 0, gv);
      JsonNode schemas = doc.get("components").get("schemas");
      List<String> refs = new ArrayList<>();
      collectRefs(doc, refs);
      assertFalse(refs.isEmpty());
      for (String ref : refs) {
        assertTrue(ref.startsWith("#/components/schemas/"), ref);
        assertTrue(schemas.has(ref.substring("#/components/schemas/".length())), gv + ": unresolved " + ref);
      }
    }
  }

  @Test
  void everyKindHasPatchOperationsWithGvkAndFieldValidation() throws IOException {
    for (ResourceType t : CATALOG.all()) {
      JsonNode doc = doc(t);
      String ns = t.namespaced() ? "/namespaces/{namespace}" : "";
      String item = t.pathPrefix() + ns + "/" + t.plural() + "/{name}";
      JsonNode path = doc.get("paths").get(item);
      assertNotNull(path, item);
      for (String method : List.of("get", "put", "patch", "delete")) {
        JsonNode op = path.get(method);
        assertNotNull(op, method + " " + item);
        assertGvk(op.get("x-kubernetes-group-version-kind"), t.group(), t.version(), t.kind());
        assertTrue(op.has("x-kubernetes-action"));
      }
      JsonNode patch = path.get("patch");
      assertEquals("patch", patch.get("x-kubernetes-action").asText());
      assertTrue(paramNames(patch).containsAll(List.of("fieldValidation", "dryRun", "fieldManager")), item);
      assertEquals(Set.copyOf(PathItems.PATCH_TYPES), fieldNames(patch.get("requestBody").get("content")));
      assertTrue(paramNames(path.get("put")).contains("fieldValidation"));

      JsonNode collection = doc.get("paths").get(t.pathPrefix() + ns + "/" + t.plural());
      assertEquals("list", collection.get("get").get("x-kubernetes-action").asText());
      assertTrue(paramNames(collection.get("post")).contains("fieldValidation"));
      if (t.namespaced()) {
        assertNotNull(doc.get("paths").get(t.pathPrefix() + "/" + t.plural()), "all-namespaces list");
      }
      // kubectl's check: every PATCH carrying this GVK offers fieldValidation
      doc.get("paths").forEach(p -> {
        JsonNode op = p.get("patch");
        if (op != null && op.get("x-kubernetes-group-version-kind").get("kind").asText().equals(t.kind())) {
          assertTrue(paramNames(op).contains("fieldValidation"));
        }
      });
    }
  }

  @Test
  void subresourcePathsForStatusAndScale() throws IOException {
    JsonNode apps = MAPPER.readTree(openApi.document("apis/apps/v1").orElseThrow());
    JsonNode scale = apps.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
    assertGvk(scale.get("patch").get("x-kubernetes-group-version-kind"), "autoscaling", "v1", "Scale");
    assertTrue(paramNames(scale.get("patch")).contains("fieldValidation"));
    assertGvk(apps.get("components").get("schemas").get("io.k8s.api.autoscaling.v1.Scale")
        .get("x-kubernetes-group-version-kind").get(0), "autoscaling", "v1", "Scale");
    JsonNode status = apps.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status");
    assertGvk(status.get("put").get("x-kubernetes-group-version-kind"), "apps", "v1", "Deployment");
    JsonNode core = MAPPER.readTree(openApi.document("api/v1").orElseThrow());
    assertNotNull(core.get("paths").get("/api/v1/nodes/{name}/status"));
    assertNull(core.get("paths").get("/api/v1/namespaces/{namespace}/configmaps/{name}/status"));
  }

  @Test
  void kindAndListSchemasCarryGroupVersionKind() throws IOException {
    for (ResourceType t : CATALOG.all()) {
      JsonNode schemas = doc(t).get("components").get("schemas");
      String name = SchemaNames.of(t.model());
      JsonNode kind = schemas.get(name);
      assertNotNull(kind, name);
      assertGvk(kind.get("x-kubernetes-group-version-kind").get(0), t.group(), t.version(), t.kind());
      assertFalse(kind.get("description").asText().isBlank());
      assertTrue(kind.get("properties").get("metadata").has("description"));
      JsonNode list = schemas.get(name + "List");
      assertGvk(list.get("x-kubernetes-group-version-kind").get(0), t.group(), t.version(), t.listKind());
      assertEquals("#/components/schemas/" + name, list.get("properties").get("items").get("items").get("$ref").asText());
    }
    JsonNode apps = MAPPER.readTree(openApi.document("apis/apps/v1").orElseThrow()).get("components").get("schemas");
    assertTrue(apps.has("io.k8s.api.apps.v1.Deployment"));
    assertTrue(apps.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    assertTrue(apps.has("io.k8s.apimachinery.pkg.apis.meta.v1.Status"));
    assertTrue(apps.has("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"));
    assertTrue(apps.has("io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"));
    assertTrue(apps.has("io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"));
    assertTrue(apps.has("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"));
    assertTrue(apps.has("io.k8s.api.core.v1.PodSpec"));
  }

  @Test
  void podContainersAndServicePortsCarryMergeKeys() throws IOException {
    JsonNode core = MAPPER.readTree(openApi.document("api/v1").orElseThrow());
    JsonNode schemas = core.get("components").get("schemas");
    JsonNode pod = schemas.get("io.k8s.api.core.v1.Pod");
    JsonNode podSpec = resolve(schemas, pod.get("properties").get("spec"));
    JsonNode containers = podSpec.get("properties").get("containers");
    assertEquals("array", containers.get("type").asText());
    assertEquals("name", containers.get("x-kubernetes-patch-merge-key").asText());
    assertEquals("merge", containers.get("x-kubernetes-patch-strategy").asText());
    assertEquals("map", containers.get("x-kubernetes-list-type").asText());
    assertEquals("merge,retainKeys", podSpec.get("properties").get("volumes").get("x-kubernetes-patch-strategy").asText());
    JsonNode container = resolve(schemas, containers.get("items"));
    assertEquals("containerPort", container.get("properties").get("ports").get("x-kubernetes-patch-merge-key").asText());
    assertEquals("mountPath", container.get("properties").get("volumeMounts").get("x-kubernetes-patch-merge-key").asText());
    assertEquals("name", container.get("properties").get("env").get("x-kubernetes-patch-merge-key").asText());
    assertFalse(container.get("properties").get("envFrom").has("x-kubernetes-patch-merge-key"));
    assertFalse(podSpec.get("properties").get("tolerations").has("x-kubernetes-patch-merge-key"));

    JsonNode serviceSpec = resolve(schemas, schemas.get("io.k8s.api.core.v1.Service").get("properties").get("spec"));
    JsonNode ports = serviceSpec.get("properties").get("ports");
    assertEquals("port", ports.get("x-kubernetes-patch-merge-key").asText());
    assertEquals("[\"port\",\"protocol\"]", ports.get("x-kubernetes-list-map-keys").toString());

    JsonNode meta = schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties");
    assertEquals("uid", meta.get("ownerReferences").get("x-kubernetes-patch-merge-key").asText());
    assertEquals("merge", meta.get("finalizers").get("x-kubernetes-patch-strategy").asText());

    JsonNode apps = MAPPER.readTree(openApi.document("apis/apps/v1").orElseThrow()).get("components").get("schemas");
    JsonNode strategy = apps.get("io.k8s.api.apps.v1.DeploymentSpec").get("properties").get("strategy");
    assertEquals("retainKeys", strategy.get("x-kubernetes-patch-strategy").asText());
    assertEquals("#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy",
        strategy.get("allOf").get(0).get("$ref").asText());
  }

  @Test
  void everyPatchMetadataEntryAppearsOnAGeneratedProperty() throws IOException {
    Map<String, JsonNode> all = new java.util.HashMap<>();
    for (String gv : openApi.gvPaths()) {
      MAPPER.readTree(openApi.document(gv).orElseThrow()).get("components").get("schemas")
          .properties().forEach(e -> all.put(e.getKey(), e.getValue()));
    }
    PatchMetadata.all().forEach((key, meta) -> {
      String schema = key.substring(0, key.indexOf('#'));
      String field = key.substring(key.indexOf('#') + 1);
      JsonNode s = all.get(schema);
      assertNotNull(s, "schema of " + key);
      JsonNode p = s.get("properties").get(field);
      assertNotNull(p, key);
      assertEquals(meta.mergeKey(), text(p, "x-kubernetes-patch-merge-key"), key);
      assertEquals(meta.strategy(), text(p, "x-kubernetes-patch-strategy"), key);
      assertEquals(meta.listType(), text(p, "x-kubernetes-list-type"), key);
    });
  }

  @Test
  void typesFollowTheModel() throws IOException {
    JsonNode schemas = MAPPER.readTree(openApi.document("api/v1").orElseThrow()).get("components").get("schemas");
    JsonNode meta = schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties");
    assertEquals("date-time", meta.get("creationTimestamp").get("format").asText());
    assertEquals("int64", meta.get("generation").get("format").asText());
    assertEquals("string", meta.get("labels").get("additionalProperties").get("type").asText());
    List<String> order = new ArrayList<>();
    schemas.get("io.k8s.api.core.v1.Pod").get("properties").fieldNames().forEachRemaining(order::add);
    assertEquals(List.of("apiVersion", "kind", "metadata", "spec", "status"), order);
    JsonNode port = schemas.get("io.k8s.api.core.v1.ContainerPort").get("properties");
    assertEquals("int32", port.get("containerPort").get("format").asText());
    JsonNode requirements = schemas.get("io.k8s.api.core.v1.ResourceRequirements").get("properties");
    assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity",
        requirements.get("limits").get("additionalProperties").get("$ref").asText());
    assertTrue(schemas.get("io.k8s.apimachinery.pkg.api.resource.Quantity").get("x-kubernetes-int-or-string").asBoolean());
    assertTrue(schemas.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString").get("x-kubernetes-int-or-string").asBoolean());
    JsonNode probe = schemas.get("io.k8s.api.core.v1.HTTPGetAction").get("properties");
    assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString", probe.get("port").get("$ref").asText());
    assertEquals("date-time", schemas.get("io.k8s.api.core.v1.PodCondition").get("properties")
        .get("lastTransitionTime").get("format").asText());
    assertEquals("boolean", schemas.get("io.k8s.api.core.v1.Container").get("properties").get("tty").get("type").asText());

    JsonNode coordination = MAPPER.readTree(openApi.document("apis/coordination.k8s.io/v1").orElseThrow())
        .get("components").get("schemas");
    assertEquals("date-time", coordination.get("io.k8s.api.coordination.v1.LeaseSpec").get("properties")
        .get("renewTime").get("format").asText());
  }

  @Test
  void schemaNamesFollowUpstream() {
    assertEquals("io.k8s.api.core.v1.Pod", SchemaNames.of(io.fabric8.kubernetes.api.model.Pod.class));
    assertEquals("io.k8s.api.apps.v1.Deployment", SchemaNames.of(io.fabric8.kubernetes.api.model.apps.Deployment.class));
    assertEquals("io.k8s.api.batch.v1.CronJob", SchemaNames.of(io.fabric8.kubernetes.api.model.batch.v1.CronJob.class));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        SchemaNames.of(io.fabric8.kubernetes.api.model.ObjectMeta.class));
    assertEquals("io.k8s.apimachinery.pkg.api.resource.Quantity",
        SchemaNames.of(io.fabric8.kubernetes.api.model.Quantity.class));
    assertEquals("io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        SchemaNames.of(io.fabric8.kubernetes.api.model.IntOrString.class));
    assertEquals("io.k8s.api.events.v1.Event", SchemaNames.of(io.fabric8.kubernetes.api.model.events.v1.Event.class));
  }

  /** Uppercase hex SHA-512, the hash format of the documents. */
  static String sha512(byte[] bytes) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode doc(ResourceType t) throws IOException {
    return MAPPER.readTree(openApi.document(OpenApiV3.gvPath(t)).orElseThrow());
  }

  private static JsonNode resolve(JsonNode schemas, JsonNode property) {
    JsonNode ref = property.has("allOf") ? property.get("allOf").get(0).get("$ref") : property.get("$ref");
    return schemas.get(ref.asText().substring("#/components/schemas/".length()));
  }

  private static void assertGvk(JsonNode gvk, String group, String version, String kind) {
    assertNotNull(gvk);
    assertEquals(group, gvk.get("group").asText());
    assertEquals(version, gvk.get("version").asText());
    assertEquals(kind, gvk.get("kind").asText());
  }

  private static List<String> paramNames(JsonNode op) {
    List<String> names = new ArrayList<>();
    op.get("parameters").forEach(p -> names.add(p.get("name").asText()));
    return names;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> out = new TreeSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String text(JsonNode node, String field) {
    return node.has(field) ? node.get(field).asText() : null;
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject() && node.has("$ref") && node.get("$ref").isTextual()) { // JSONSchemaProps has a "$ref" field
      out.add(node.get("$ref").asText());
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collectRefs(it.next(), out);
    }
  }
}
