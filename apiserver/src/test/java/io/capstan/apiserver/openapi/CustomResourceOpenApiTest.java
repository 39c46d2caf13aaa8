package io.capstan.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.apiserver.resources.CustomResource;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** OpenAPI documents of custom resources, following the catalog as CRDs come and go. */
class CustomResourceOpenApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String GV = "apis/stable.example.com/v1";
  private static final String KIND = "com.example.stable.v1.CronTab";
  private static final String PREFIX = "#/components/schemas/";

  private final ResourceCatalog catalog = ResourceCatalog.builtin();
  private final OpenApiV3 openApi = new OpenApiV3(catalog);

  static JsonNode cronTabSchema(String cronSpecDescription) {
    try {
      return MAPPER.readTree("""
          {"type":"object","description":"CronTab runs an image on a cron schedule.",
           "properties":{
             "apiVersion":{"type":"string"},
             "metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":20}}},
             "spec":{"type":"object","description":"What to run and when.",
               "properties":{
                 "cronSpec":{"type":"string","description":"%s"},
                 "image":{"type":"string","description":"The container image to run."},
                 "replicas":{"type":"integer","minimum":0,"description":"How many copies to run."},
                 "template":{"type":"object","x-kubernetes-embedded-resource":true,
                   "x-kubernetes-preserve-unknown-fields":true}}},
             "status":{"type":"object","properties":{
               "replicas":{"type":"integer"},"labelSelector":{"type":"string"}}}}}
          """.formatted(cronSpecDescription));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ResourceType cronTab(String version, boolean namespaced, JsonNode schema, Set<String> subresources) {
    List<CustomResource.PrinterColumn> columns = List.of(
        new CustomResource.PrinterColumn("Spec", "string", "", "", 0, ".spec.cronSpec"),
        new CustomResource.PrinterColumn("Replicas", "integer", "", "", 0, ".spec.replicas"),
        new CustomResource.PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"));
    return new ResourceType("stable.example.com", version, "CronTab", "crontabs", "crontab", namespaced,
        List.of("ct"), List.of("all"), subresources, "stable.example.com/crontabs", null, true,
        new CustomResource(schema, "v1", ".spec.replicas", ".status.replicas", ".status.labelSelector", columns));
  }

  private void register(ResourceType... types) {
    catalog.replaceGroupResource("stable.example.com", "crontabs", List.of(types));
  }

  private JsonNode doc(String gv) throws IOException {
    return MAPPER.readTree(openApi.document(gv).orElseThrow());
  }

  @Test
  void customGroupVersionAppearsWithUpstreamSchemaNamesAndExplainableFields() throws IOException {
    assertNull(openApi.hash(GV));
    register(cronTab("v1", true, cronTabSchema("The cron schedule."), Set.of("status", "scale")));

    JsonNode root = openApi.root().get("paths");
    assertEquals("/openapi/v3/" + GV + "?hash=" + openApi.hash(GV), root.get(GV).get("serverRelativeURL").asText());
    JsonNode schemas = doc(GV).get("components").get("schemas");
    JsonNode kind = schemas.get(KIND);
    assertNotNull(kind);
    assertGvk(kind.get("x-kubernetes-group-version-kind").get(0), "stable.example.com", "v1", "CronTab");
    assertEquals("CronTab runs an image on a cron schedule.", kind.get("description").asText());
    JsonNode props = kind.get("properties");
    List<String> order = new ArrayList<>();
    props.fieldNames().forEachRemaining(order::add);
    assertEquals(List.of("apiVersion", "kind", "metadata", "spec", "status"), order);
    assertEquals("string", props.get("kind").get("type").asText());
    assertFalse(props.get("apiVersion").get("description").asText().isEmpty());
    JsonNode metadata = props.get("metadata");
    assertEquals(PREFIX + SchemaNames.OBJECT_META, metadata.get("allOf").get(0).get("$ref").asText());
    assertFalse(metadata.has("properties"), "the CRD's metadata schema is replaced by ObjectMeta");
    // what kubectl explain crontab.spec.cronSpec prints
    JsonNode spec = props.get("spec");
    assertEquals("What to run and when.", spec.get("description").asText());
    assertEquals("The cron schedule.", spec.get("properties").get("cronSpec").get("description").asText());
    assertEquals("integer", spec.get("properties").get("replicas").get("type").asText());
    assertEquals(0, spec.get("properties").get("replicas").get("minimum").asInt());
    // embedded resources get TypeMeta and ObjectMeta
    JsonNode template = spec.get("properties").get("template");
    assertTrue(template.get("properties").has("apiVersion"));
    assertTrue(template.get("properties").has("metadata"));
    assertEquals(Set.of("kind", "apiVersion"), Set.copyOf(texts(template.get("required"))));

    JsonNode list = schemas.get(KIND + "List");
    assertGvk(list.get("x-kubernetes-group-version-kind").get(0), "stable.example.com", "v1", "CronTabList");
    assertEquals(PREFIX + KIND, list.get("properties").get("items").get("items").get("$ref").asText());
    assertEquals(List.of("items"), texts(list.get("required")));
    for (String shared : List.of("ObjectMeta", "ListMeta", "Status", "DeleteOptions", "Patch", "ManagedFieldsEntry")) {
      assertTrue(schemas.has(SchemaNames.META + shared), shared);
    }
    assertTrue(schemas.has(SchemaNames.SCALE));
    assertEveryRefResolves(doc(GV));
  }

  @Test
  void pathsAreLikeBuiltInOnesWithPatchGvkAndFieldValidation() throws IOException {
    register(cronTab("v1", true, cronTabSchema("x"), Set.of("status", "scale")));
    JsonNode paths = doc(GV).get("paths");
    String collection = "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs";
    Set<String> names = new java.util.TreeSet<>();
    paths.fieldNames().forEachRemaining(names::add);
    assertEquals(Set.of(collection, collection + "/{name}", collection + "/{name}/status",
        collection + "/{name}/scale", "/apis/stable.example.com/v1/crontabs"), names);

    JsonNode item = paths.get(collection + "/{name}");
    for (String method : List.of("get", "put", "patch", "delete")) {
      assertGvk(item.get(method).get("x-kubernetes-group-version-kind"), "stable.example.com", "v1", "CronTab");
    }
    JsonNode patch = item.get("patch");
    assertEquals("patch", patch.get("x-kubernetes-action").asText());
    assertTrue(params(patch).containsAll(List.of("fieldValidation", "dryRun", "fieldManager", "force")));
    assertEquals("patchStableExampleComV1NamespacedCronTab", patch.get("operationId").asText());
    assertEquals("stableExampleCom_v1", patch.get("tags").get(0).asText());
    assertEquals(PREFIX + KIND, patch.get("responses").get("200").get("content").get("application/json")
        .get("schema").get("$ref").asText());
    assertTrue(params(paths.get(collection).get("post")).contains("fieldValidation"));
    assertEquals(PREFIX + KIND + "List", paths.get(collection).get("get").get("responses").get("200")
        .get("content").get("application/json").get("schema").get("$ref").asText());

    JsonNode status = paths.get(collection + "/{name}/status").get("patch");
    assertGvk(status.get("x-kubernetes-group-version-kind"), "stable.example.com", "v1", "CronTab");
    assertTrue(params(status).contains("fieldValidation"));
    JsonNode scale = paths.get(collection + "/{name}/scale").get("patch");
    assertGvk(scale.get("x-kubernetes-group-version-kind"), "autoscaling", "v1", "Scale");
    assertTrue(params(scale).contains("fieldValidation"));
  }

  @Test
  void clusterScopedWithoutSubresourcesOrSchema() throws IOException {
    register(cronTab("v1", false, null, Set.of()));
    JsonNode doc = doc(GV);
    Set<String> names = new java.util.TreeSet<>();
    doc.get("paths").fieldNames().forEachRemaining(names::add);
    assertEquals(Set.of("/apis/stable.example.com/v1/crontabs", "/apis/stable.example.com/v1/crontabs/{name}"), names);
    JsonNode kind = doc.get("components").get("schemas").get(KIND);
    assertEquals("object", kind.get("type").asText());
    assertFalse(kind.has("properties"), "no schema: nothing for clients to validate against");
    assertGvk(kind.get("x-kubernetes-group-version-kind").get(0), "stable.example.com", "v1", "CronTab");
    assertFalse(doc.get("components").get("schemas").has(SchemaNames.SCALE));
    assertEveryRefResolves(doc);
  }

  @Test
  void documentsFollowCatalogChangesAndHashesFollowContent() throws IOException {
    String core = openApi.hash("api/v1");
    String apps = openApi.hash("apis/apps/v1");
    register(cronTab("v1", true, cronTabSchema("first"), Set.of("status")),
        cronTab("v1beta1", true, cronTabSchema("first"), Set.of()));
    String v1 = openApi.hash(GV);
    String beta = openApi.hash("apis/stable.example.com/v1beta1");
    assertNotNull(v1);
    assertNotNull(beta);
    assertTrue(openApi.gvPaths().containsAll(List.of(GV, "apis/stable.example.com/v1beta1")));

    // a new description changes v1's bytes and hash; the unchanged versions keep theirs
    register(cronTab("v1", true, cronTabSchema("second"), Set.of("status")),
        cronTab("v1beta1", true, cronTabSchema("first"), Set.of()));
    assertNotEquals(v1, openApi.hash(GV));
    assertTrue(new String(openApi.document(GV).orElseThrow()).contains("second"));
    assertEquals(beta, openApi.hash("apis/stable.example.com/v1beta1"));
    assertEquals(core, openApi.hash("api/v1"));
    assertEquals(apps, openApi.hash("apis/apps/v1"));
    OpenApiV3.Document both = openApi.get("/openapi/v3/" + GV).orElseThrow();
    assertEquals(openApi.hash(GV), both.hash());
    assertEquals(new String(openApi.document(GV).orElseThrow()), new String(both.json()));

    // a version that stops being served drops out of the root
    register(cronTab("v1", true, cronTabSchema("second"), Set.of("status")));
    assertNull(openApi.hash("apis/stable.example.com/v1beta1"));
    assertTrue(openApi.document("apis/stable.example.com/v1beta1").isEmpty());
    assertFalse(openApi.root().get("paths").has("apis/stable.example.com/v1beta1"));
    // and so does the whole group when the CRD goes away
    register();
    assertFalse(openApi.root().get("paths").has(GV));
    assertTrue(openApi.document(GV).isEmpty());
    assertEquals(core, openApi.hash("api/v1"));
  }

  @Test
  void concurrentReadersSeeConsistentDocumentsWhileTheCatalogChanges() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        readers.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            openApi.root().get("paths").fieldNames().forEachRemaining(gv -> openApi.get(gv).ifPresent(d -> {
              assertEquals(OpenApiV3Test.sha512(d.json()), d.hash());
            }));
          }
          return null;
        }));
      }
      for (int i = 0; i < 50; i++) {
        register(cronTab("v1", true, cronTabSchema("change " + i), Set.of("status")));
      }
      for (Future<?> f : readers) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(new String(openApi.document(GV).orElseThrow()).contains("change 49"));
  }

  @Test
  void apiextensionsDocumentUsesUpstreamNamesAndSchemalessUnions() throws IOException {
    JsonNode schemas = doc("apis/apiextensions.k8s.io/v1").get("components").get("schemas");
    String crd = SchemaNames.APIEXTENSIONS + "CustomResourceDefinition";
    assertGvk(schemas.get(crd).get("x-kubernetes-group-version-kind").get(0),
        "apiextensions.k8s.io", "v1", "CustomResourceDefinition");
    JsonNode props = schemas.get(SchemaNames.APIEXTENSIONS + "JSONSchemaProps").get("properties");
    assertEquals(PREFIX + SchemaNames.APIEXTENSIONS + "JSONSchemaPropsOrBool",
        props.get("additionalProperties").get("$ref").asText());
    assertEquals(PREFIX + SchemaNames.JSON, props.get("default").get("$ref").asText());
    for (String union : List.of("JSONSchemaPropsOrBool", "JSONSchemaPropsOrArray", "JSONSchemaPropsOrStringArray", "JSON")) {
      JsonNode s = schemas.get(SchemaNames.APIEXTENSIONS + union);
      assertFalse(s.has("type") || s.has("properties"), union + " accepts any value");
    }
    assertEquals("map", schemas.get(SchemaNames.APIEXTENSIONS + "CustomResourceDefinitionStatus")
        .get("properties").get("conditions").get("x-kubernetes-list-type").asText());
  }

  @Test
  void schemaNamesAndTagsOfCustomGroups() {
    assertEquals("com.example.stable.v1.CronTab", SchemaNames.custom("stable.example.com", "v1", "CronTab"));
    assertEquals("example.v1alpha1.Widget", SchemaNames.custom("example", "v1alpha1", "Widget"));
    assertEquals("stableExampleCom", PathItems.groupTag("stable.example.com"));
    assertEquals("rbacAuthorization", PathItems.groupTag("rbac.authorization.k8s.io"));
    assertEquals("core", PathItems.groupTag(""));
    assertEquals("apps", PathItems.groupTag("apps"));
  }

  private static void assertEveryRefResolves(JsonNode doc) {
    JsonNode schemas = doc.get("components").get("schemas");
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      assertTrue(schemas.has(ref.substring(PREFIX.length())), "unresolved " + ref);
    }
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject() && node.path("$ref").isTextual()) {
      out.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, out));
  }

  private static void assertGvk(JsonNode gvk, String group, String version, String kind) {
    assertNotNull(gvk);
    assertEquals(group, gvk.get("group").asText());
    assertEquals(version, gvk.get("version").asText());
    assertEquals(kind, gvk.get("kind").asText());
  }

  private static List<String> params(JsonNode op) {
    return texts(op.get("parameters").findValues("name"));
  }

  private static List<String> texts(Iterable<JsonNode> nodes) {
    List<String> out = new ArrayList<>();
    nodes.forEach(n -> out.add(n.asText()));
    return out;
  }
}
