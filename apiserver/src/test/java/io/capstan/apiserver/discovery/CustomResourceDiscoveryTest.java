package io.capstan.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.CustomResource;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Discovery of custom resources: read live from the catalog as CRDs are registered and removed. */
class CustomResourceDiscoveryTest {
  private static final String GROUP = "stable.example.com";
  private static final List<String> CUSTOM_VERBS =
      List.of("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch");
  private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");

  private final ResourceCatalog catalog = ResourceCatalog.builtin();
  private final Discovery discovery = new Discovery(catalog);

  private static ResourceType cronTab(String version, boolean namespaced, Set<String> subresources) {
    List<CustomResource.PrinterColumn> columns = List.of(
        new CustomResource.PrinterColumn("Spec", "string", "", "", 0, ".spec.cronSpec"),
        new CustomResource.PrinterColumn("Replicas", "integer", "", "", 0, ".spec.replicas"),
        new CustomResource.PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"));
    return new ResourceType(GROUP, version, "CronTab", "crontabs", "crontab", namespaced, List.of("ct"), List.of("all"),
        subresources, GROUP + "/crontabs", null, true,
        new CustomResource(null, "v1", ".spec.replicas", ".status.replicas", ".status.labelSelector", columns));
  }

  private void register(ResourceType... types) {
    catalog.replaceGroupResource(GROUP, "crontabs", List.of(types));
  }

  @Test
  void legacyDocumentsListTheCustomGroupWithThePreferredVersionFirst() {
    assertTrue(discovery.apiGroup(GROUP).isEmpty());
    // registered beta first: discovery still prefers the GA version, as upstream sorts by version priority
    register(cronTab("v1beta1", true, Set.of()), cronTab("v1", true, Set.of("status", "scale")));

    ObjectNode group = discovery.apiGroup(GROUP).orElseThrow();
    assertEquals("APIGroup", group.get("kind").asText());
    assertEquals(GROUP + "/v1", group.get("preferredVersion").get("groupVersion").asText());
    assertEquals(List.of(GROUP + "/v1", GROUP + "/v1beta1"), texts(group.get("versions").findValues("groupVersion")));
    JsonNode listed = find(discovery.apiGroupList().get("groups"), "name", GROUP);
    assertNotNull(listed);
    assertEquals("v1", listed.get("preferredVersion").get("version").asText());

    ObjectNode list = discovery.apiResourceList(GROUP, "v1").orElseThrow();
    assertEquals(GROUP + "/v1", list.get("groupVersion").asText());
    JsonNode r = find(list.get("resources"), "name", "crontabs");
    assertEquals("CronTab", r.get("kind").asText());
    assertEquals("crontab", r.get("singularName").asText());
    assertTrue(r.get("namespaced").asBoolean());
    assertEquals(CUSTOM_VERBS, texts(r.get("verbs")));
    assertEquals(List.of("ct"), texts(r.get("shortNames")));
    assertEquals(List.of("all"), texts(r.get("categories")));
    assertEquals(Discovery.storageVersionHash(GROUP, "v1", "CronTab"), r.get("storageVersionHash").asText());

    JsonNode status = find(list.get("resources"), "name", "crontabs/status");
    assertEquals("CronTab", status.get("kind").asText());
    assertEquals(GET_PATCH_UPDATE, texts(status.get("verbs")));
    assertFalse(status.has("group"));
    JsonNode scale = find(list.get("resources"), "name", "crontabs/scale");
    assertEquals("autoscaling", scale.get("group").asText());
    assertEquals("v1", scale.get("version").asText());
    assertEquals("Scale", scale.get("kind").asText());
    assertEquals(GET_PATCH_UPDATE, texts(scale.get("verbs")));
    assertTrue(scale.get("namespaced").asBoolean());

    // v1beta1 has no subresources, and its storage version hash is the storage version's (v1)
    JsonNode beta = discovery.apiResourceList(GROUP, "v1beta1").orElseThrow().get("resources");
    assertEquals(1, beta.size());
    assertEquals(Discovery.storageVersionHash(GROUP, "v1", "CronTab"), beta.get(0).get("storageVersionHash").asText());
  }

  @Test
  void aggregatedDocumentListsCustomResourcesWithSubresourcesAndCategories() {
    register(cronTab("v1", true, Set.of("status", "scale")), cronTab("v1alpha1", true, Set.of()));
    JsonNode item = find(discovery.aggregatedGroups().get("items"), null, GROUP);
    assertNotNull(item);
    List<String> versions = new ArrayList<>();
    item.get("versions").forEach(v -> versions.add(v.get("version").asText()));
    assertEquals(List.of("v1", "v1alpha1"), versions);
    JsonNode v1 = item.get("versions").get(0);
    assertEquals("Current", v1.get("freshness").asText());
    JsonNode r = find(v1.get("resources"), "resource", "crontabs");
    assertEquals("Namespaced", r.get("scope").asText());
    assertEquals("crontab", r.get("singularResource").asText());
    assertEquals(GROUP, r.get("responseKind").get("group").asText());
    assertEquals("v1", r.get("responseKind").get("version").asText());
    assertEquals("CronTab", r.get("responseKind").get("kind").asText());
    assertEquals(CUSTOM_VERBS, texts(r.get("verbs")));
    assertEquals(List.of("ct"), texts(r.get("shortNames")));
    assertEquals(List.of("all"), texts(r.get("categories")));

    JsonNode status = find(r.get("subresources"), "subresource", "status");
    assertEquals("CronTab", status.get("responseKind").get("kind").asText());
    assertEquals(GROUP, status.get("responseKind").get("group").asText());
    assertEquals(GET_PATCH_UPDATE, texts(status.get("verbs")));
    JsonNode scale = find(r.get("subresources"), "subresource", "scale");
    assertEquals("autoscaling", scale.get("responseKind").get("group").asText());
    assertEquals("v1", scale.get("responseKind").get("version").asText());
    assertEquals("Scale", scale.get("responseKind").get("kind").asText());
    assertEquals(GET_PATCH_UPDATE, texts(scale.get("verbs")));
    assertFalse(find(item.get("versions").get(1).get("resources"), "resource", "crontabs").has("subresources"));
  }

  @Test
  void kubectlGetAllIncludesCustomResourcesInCategoryAll() {
    register(cronTab("v1", true, Set.of()));
    List<String> all = new ArrayList<>();
    for (JsonNode item : discovery.aggregatedGroups().get("items")) {
      for (JsonNode r : item.get("versions").get(0).get("resources")) {
        if (texts(r.get("categories")).contains("all")) {
          all.add(r.get("resource").asText());
        }
      }
    }
    assertTrue(all.contains("crontabs"), all.toString());
  }

  @Test
  void clusterScopedCustomResource() {
    register(cronTab("v1", false, Set.of("scale")));
    JsonNode r = find(discovery.apiResourceList(GROUP, "v1").orElseThrow().get("resources"), "name", "crontabs");
    assertFalse(r.get("namespaced").asBoolean());
    JsonNode item = find(discovery.aggregatedGroups().get("items"), null, GROUP);
    assertEquals("Cluster", item.get("versions").get(0).get("resources").get(0).get("scope").asText());
    JsonNode scale = find(discovery.apiResourceList(GROUP, "v1").orElseThrow().get("resources"), "name", "crontabs/scale");
    assertFalse(scale.get("namespaced").asBoolean());
  }

  @Test
  void documentsAndEtagsFollowTheCatalog() {
    String groups = Discovery.etag(discovery.aggregatedGroups());
    String legacy = Discovery.etag(discovery.apiGroupList());
    String core = Discovery.etag(discovery.aggregatedCore());

    register(cronTab("v1", true, Set.of()));
    String withV1 = Discovery.etag(discovery.aggregatedGroups());
    assertNotEquals(groups, withV1);
    assertNotEquals(legacy, Discovery.etag(discovery.apiGroupList()));
    assertEquals(core, Discovery.etag(discovery.aggregatedCore()), "the core group did not change");

    register(cronTab("v1", true, Set.of("status")));
    assertNotEquals(withV1, Discovery.etag(discovery.aggregatedGroups()), "a new subresource changes the ETag");

    register();
    assertTrue(discovery.apiGroup(GROUP).isEmpty());
    assertTrue(discovery.apiResourceList(GROUP, "v1").isEmpty());
    assertNull(find(discovery.aggregatedGroups().get("items"), null, GROUP));
    assertEquals(groups, Discovery.etag(discovery.aggregatedGroups()));
    assertEquals(legacy, Discovery.etag(discovery.apiGroupList()));
  }

  @Test
  void versionsSortByKubernetesPriority() {
    List<String> expected = List.of("v10", "v2", "v1", "v11beta2", "v10beta3", "v3beta1", "v12alpha1", "v11alpha2",
        "foo1", "foo10");
    List<String> shuffled = new ArrayList<>(expected);
    Collections.reverse(shuffled);
    Collections.swap(shuffled, 0, 5);
    shuffled.sort(KubeVersions.PRIORITY);
    assertEquals(expected, shuffled);
  }

  /** The element whose {@code field} (or metadata.name when field is null) equals {@code value}. */
  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      JsonNode v = field == null ? n.path("metadata").path("name") : n.path(field);
      if (value.equals(v.asText())) {
        return n;
      }
    }
    return null;
  }

  private static List<String> texts(Iterable<JsonNode> nodes) {
    List<String> out = new ArrayList<>();
    if (nodes != null) {
      nodes.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
