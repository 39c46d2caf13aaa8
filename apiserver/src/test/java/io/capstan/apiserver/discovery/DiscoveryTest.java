package io.capstan.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  private final ResourceCatalog catalog = ResourceCatalog.builtin();
  private final Discovery discovery = new Discovery(catalog);

  @Test
  void apiVersionsListsCoreVersionAndServerAddress() {
    ObjectNode doc = discovery.apiVersions("127.0.0.1:6443");
    assertEquals("APIVersions", doc.get("kind").asText());
    assertEquals(List.of("v1"), strings(doc.get("versions")));
    JsonNode cidr = doc.get("serverAddressByClientCIDRs").get(0);
    assertEquals("0.0.0.0/0", cidr.get("clientCIDR").asText());
    assertEquals("127.0.0.1:6443", cidr.get("serverAddress").asText());
  }

  @Test
  void apiGroupListHasEveryNamedGroupWithPreferredVersion() {
    ObjectNode doc = discovery.apiGroupList();
    assertEquals("APIGroupList", doc.get("kind").asText());
    assertEquals("v1", doc.get("apiVersion").asText());
    Set<String> groups = new TreeSet<>();
    for (JsonNode g : doc.get("groups")) {
      groups.add(g.get("name").asText());
      assertEquals(g.get("name").asText() + "/v1", g.get("preferredVersion").get("groupVersion").asText());
      assertEquals("v1", g.get("versions").get(0).get("version").asText());
    }
    assertEquals(Set.of("apiextensions.k8s.io", "apps", "authorization.k8s.io", "batch", "coordination.k8s.io",
        "discovery.k8s.io", "events.k8s.io"), groups);
  }

  @Test
  void apiGroupForOneGroupAndMissingGroup() {
    ObjectNode apps = discovery.apiGroup("apps").orElseThrow();
    assertEquals("APIGroup", apps.get("kind").asText());
    assertEquals("apps", apps.get("name").asText());
    assertEquals("apps/v1", apps.get("versions").get(0).get("groupVersion").asText());
    assertTrue(discovery.apiGroup("nope.example.com").isEmpty());
    assertTrue(discovery.apiGroup("").isEmpty());
  }

  @Test
  void everyCatalogResourceIsListedWithNamesShortNamesAndCategories() {
    for (ResourceType t : catalog.all()) {
      ObjectNode list = discovery.apiResourceList(t.group(), t.version()).orElseThrow();
      assertEquals("APIResourceList", list.get("kind").asText());
      assertEquals(t.groupVersion(), list.get("groupVersion").asText());
      JsonNode r = find(list.get("resources"), "name", t.plural());
      assertNotNull(r, t.plural());
      assertEquals(t.kind(), r.get("kind").asText());
      assertEquals(t.singular(), r.get("singularName").asText());
      assertEquals(t.namespaced(), r.get("namespaced").asBoolean());
      assertEquals(t.isCreateOnly() ? List.of("create") : ResourceType.VERBS, strings(r.get("verbs")), t.plural());
      assertEquals(t.shortNames(), strings(r.get("shortNames")));
      assertEquals(t.categories(), strings(r.get("categories")));
      assertEquals(Discovery.storageVersionHash(t.group(), t.version(), t.kind()),
          r.get("storageVersionHash").asText());
    }
    assertTrue(discovery.apiResourceList("apps", "v2").isEmpty());
    assertTrue(discovery.apiResourceList("nope", "v1").isEmpty());
  }

  @Test
  void storageVersionHashIsStableAndKindSpecific() {
    assertEquals("xPOwRZ+Yhw8=", Discovery.storageVersionHash("", "v1", "Pod"));
    assertEquals(Discovery.storageVersionHash("apps", "v1", "Deployment"),
        Discovery.storageVersionHash("apps", "v1", "Deployment"));
    assertNotEquals(Discovery.storageVersionHash("apps", "v1", "Deployment"),
        Discovery.storageVersionHash("apps", "v1", "ReplicaSet"));
  }

  @Test
  void allCategoryResolvesTheWorkloadsKubectlGetAllShows() {
    Set<String> all = new TreeSet<>();
    for (ObjectNode doc : List.of(discovery.aggregatedCore(), discovery.aggregatedGroups())) {
      for (JsonNode item : doc.get("items")) {
        for (JsonNode r : item.get("versions").get(0).get("resources")) {
          if (strings(r.get("categories")).contains("all")) {
            all.add(r.get("resource").asText());
          }
        }
      }
    }
    assertEquals(Set.of("pods", "services", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs",
        "cronjobs"), all);
  }

  @Test
  void subresourceEntriesCarryKindsAndVerbs() {
    JsonNode core = discovery.apiResourceList("", "v1").orElseThrow().get("resources");
    assertSub(core, "pods/status", "Pod", List.of("get", "patch", "update"));
    assertSub(core, "pods/log", "Pod", List.of("get"));
    assertSub(core, "pods/binding", "Binding", List.of("create"));
    assertSub(core, "pods/exec", "PodExecOptions", List.of("create", "get"));
    assertSub(core, "pods/attach", "PodAttachOptions", List.of("create", "get"));
    assertSub(core, "pods/portforward", "PodPortForwardOptions", List.of("create", "get"));
    assertSub(core, "pods/eviction", "Eviction", List.of("create"));
    assertSub(core, "services/proxy", "ServiceProxyOptions", List.of("create", "delete", "get", "patch", "update"));
    assertSub(core, "namespaces/finalize", "Namespace", List.of("update"));
    JsonNode eviction = find(core, "name", "pods/eviction");
    assertEquals("policy", eviction.get("group").asText());
    assertEquals("v1", eviction.get("version").asText());
    assertFalse(find(core, "name", "pods/status").has("group"), "same group-version needs no group");

    JsonNode apps = discovery.apiResourceList("apps", "v1").orElseThrow().get("resources");
    JsonNode scale = assertSub(apps, "deployments/scale", "Scale", List.of("get", "patch", "update"));
    assertEquals("autoscaling", scale.get("group").asText());
    assertEquals("v1", scale.get("version").asText());
    assertTrue(scale.get("namespaced").asBoolean());
    assertSub(apps, "deployments/status", "Deployment", List.of("get", "patch", "update"));

    // every declared subresource is listed
    for (ResourceType t : catalog.all()) {
      JsonNode resources = discovery.apiResourceList(t.group(), t.version()).orElseThrow().get("resources");
      for (String sub : t.subresources()) {
        assertNotNull(find(resources, "name", t.plural() + "/" + sub), t.plural() + "/" + sub);
      }
    }
  }

  @Test
  void aggregatedDocumentsHaveTheV2Shape() {
    ObjectNode core = discovery.aggregatedCore();
    assertEquals("APIGroupDiscoveryList", core.get("kind").asText());
    assertEquals("apidiscovery.k8s.io/v2", core.get("apiVersion").asText());
    assertTrue(core.get("metadata").isObject());
    assertEquals(1, core.get("items").size());
    JsonNode coreItem = core.get("items").get(0);
    assertFalse(coreItem.get("metadata").has("name"), "the core group has no name");
    JsonNode v1 = coreItem.get("versions").get(0);
    assertEquals("v1", v1.get("version").asText());
    assertEquals("Current", v1.get("freshness").asText());

    JsonNode pods = find(v1.get("resources"), "resource", "pods");
    assertEquals("Namespaced", pods.get("scope").asText());
    assertEquals("pod", pods.get("singularResource").asText());
    assertEquals("Pod", pods.get("responseKind").get("kind").asText());
    assertEquals("", pods.get("responseKind").get("group").asText());
    assertEquals(List.of("po"), strings(pods.get("shortNames")));
    assertEquals(List.of("all"), strings(pods.get("categories")));
    assertEquals(ResourceType.VERBS, strings(pods.get("verbs")));
    JsonNode log = find(pods.get("subresources"), "subresource", "log");
    assertEquals(List.of("get"), strings(log.get("verbs")));
    assertEquals("Cluster", find(v1.get("resources"), "resource", "nodes").get("scope").asText());

    ObjectNode groups = discovery.aggregatedGroups();
    JsonNode apps = find(groups.get("items"), null, "apps");
    assertNotNull(apps);
    JsonNode deployments = find(apps.get("versions").get(0).get("resources"), "resource", "deployments");
    JsonNode scale = find(deployments.get("subresources"), "subresource", "scale");
    assertEquals("autoscaling", scale.get("responseKind").get("group").asText());
    assertEquals("Scale", scale.get("responseKind").get("kind").asText());
    assertEquals(List.of("get", "patch", "update"), strings(scale.get("verbs")));
    assertEquals(List.of("deploy"), strings(deployments.get("shortNames")));

    // every catalog resource appears in the aggregated documents too
    for (ResourceType t : catalog.all()) {
      ObjectNode doc = t.group().isEmpty() ? core : groups;
      JsonNode item = t.group().isEmpty() ? doc.get("items").get(0) : find(doc.get("items"), null, t.group());
      JsonNode r = find(item.get("versions").get(0).get("resources"), "resource", t.plural());
      assertNotNull(r, t.plural());
      assertEquals(t.shortNames(), strings(r.get("shortNames")));
      assertEquals(t.categories(), strings(r.get("categories")));
    }
  }

  @Test
  void etagIsStableForSameContentAndChangesWithContent() {
    String a = Discovery.etag(discovery.aggregatedGroups());
    String b = Discovery.etag(new Discovery(ResourceCatalog.builtin()).aggregatedGroups());
    assertEquals(a, b);
    assertTrue(a.matches("\"[0-9a-f]{64}\""), a);
    ObjectNode changed = discovery.aggregatedGroups();
    changed.withArray("items").remove(0);
    assertNotEquals(a, Discovery.etag(changed));
    assertNotEquals(Discovery.etag(discovery.aggregatedCore()), a);
  }

  @Test
  void recognisesTheAggregatedAcceptHeader() {
    assertTrue(Discovery.acceptsAggregated("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"));
    assertFalse(Discovery.acceptsAggregated("application/json, */*"));
    assertFalse(Discovery.acceptsAggregated(null));
  }

  private static JsonNode assertSub(JsonNode resources, String name, String kind, List<String> verbs) {
    JsonNode s = find(resources, "name", name);
    assertNotNull(s, name);
    assertEquals(kind, s.get("kind").asText(), name);
    assertEquals(verbs, strings(s.get("verbs")), name);
    assertEquals("", s.get("singularName").asText());
    return s;
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

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
