package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.ApiServerFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Create, read, update, delete and list over raw HTTP, with the metadata rules. */
class CrudIT extends ApiServerFixture {

  static String configMap(String ns, String name, String labels) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
        + ns + "\",\"labels\":{" + labels + "}},\"data\":{\"k\":\"v\"}}";
  }

  @Test
  void initialNamespacesExist() {
    JsonNode list = http.get("/api/v1/namespaces").json();
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    assertTrue(names.containsAll(List.of("default", "kube-system", "kube-public", "kube-node-lease")), names.toString());
    assertEquals("Active", list.path("items").get(0).path("status").path("phase").asText());
  }

  @Test
  void createSetsSystemFieldsAndGetReturnsTheObject() {
    Http.Answer created = http.post("/api/v1/namespaces/default/configmaps", configMap("default", "crud-a", "\"app\":\"a\""));
    assertEquals(201, created.code(), created.body());
    JsonNode meta = created.json().path("metadata");
    assertFalse(meta.path("uid").asText().isEmpty());
    assertTrue(meta.path("creationTimestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    long rv = Long.parseLong(meta.path("resourceVersion").asText());
    assertTrue(rv > 0);
    JsonNode got = http.get("/api/v1/namespaces/default/configmaps/crud-a").json();
    assertEquals(meta.path("uid").asText(), got.path("metadata").path("uid").asText());
    assertEquals("v", got.path("data").path("k").asText());
  }

  @Test
  void updateMovesResourceVersionAndStaleVersionConflicts() {
    JsonNode created = http.post("/api/v1/namespaces/default/configmaps", configMap("default", "crud-b", "")).json();
    String rv = created.path("metadata").path("resourceVersion").asText();
    String body = created.toString().replace("\"k\":\"v\"", "\"k\":\"w\"");
    Http.Answer updated = http.put("/api/v1/namespaces/default/configmaps/crud-b", body);
    assertEquals(200, updated.code(), updated.body());
    assertNotEquals(rv, updated.json().path("metadata").path("resourceVersion").asText());
    Http.Answer stale = http.put("/api/v1/namespaces/default/configmaps/crud-b", body);
    assertEquals(409, stale.code());
    assertEquals("Conflict", stale.reason());
    assertTrue(stale.json().path("message").asText().contains("the object has been modified"));
  }

  @Test
  void noOpUpdateKeepsResourceVersion() {
    JsonNode created = http.post("/api/v1/namespaces/default/configmaps", configMap("default", "crud-noop", "")).json();
    Http.Answer again = http.put("/api/v1/namespaces/default/configmaps/crud-noop", created.toString());
    assertEquals(200, again.code());
    assertEquals(created.path("metadata").path("resourceVersion").asText(),
        again.json().path("metadata").path("resourceVersion").asText());
  }

  @Test
  void generationMovesOnSpecChangesOnly() {
    String deploy = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"gen\",\"namespace\":\"default\"},"
        + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"gen\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"gen\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}}}";
    JsonNode created = http.post("/apis/apps/v1/namespaces/default/deployments", deploy).json();
    assertEquals(1, created.path("metadata").path("generation").asInt(), created.toString());
    String labelled = created.toString().replace("\"name\":\"gen\",", "\"name\":\"gen\",\"labels\":{\"x\":\"y\"},");
    JsonNode afterLabel = http.put("/apis/apps/v1/namespaces/default/deployments/gen", labelled).json();
    assertEquals(1, afterLabel.path("metadata").path("generation").asInt(), afterLabel.toString());
    String scaled = afterLabel.toString().replace("\"replicas\":1", "\"replicas\":3");
    JsonNode afterScale = http.put("/apis/apps/v1/namespaces/default/deployments/gen", scaled).json();
    assertEquals(2, afterScale.path("metadata").path("generation").asInt(), afterScale.toString());
    assertEquals("RollingUpdate", afterScale.path("spec").path("strategy").path("type").asText());
  }

  @Test
  void generateNameMakesUniqueNames() {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"gen-\"}}";
    String a = http.post("/api/v1/namespaces/default/configmaps", body).json().path("metadata").path("name").asText();
    String b = http.post("/api/v1/namespaces/default/configmaps", body).json().path("metadata").path("name").asText();
    assertTrue(a.startsWith("gen-") && a.length() == 9, a);
    assertNotEquals(a, b);
  }

  @Test
  void deleteRemovesAndMissingIsNotFound() {
    http.post("/api/v1/namespaces/default/configmaps", configMap("default", "crud-del", ""));
    Http.Answer deleted = http.delete("/api/v1/namespaces/default/configmaps/crud-del", "{\"propagationPolicy\":\"Background\"}");
    assertEquals(200, deleted.code(), deleted.body());
    assertEquals("Success", deleted.json().path("status").asText());
    Http.Answer gone = http.get("/api/v1/namespaces/default/configmaps/crud-del");
    assertEquals(404, gone.code());
    assertEquals("NotFound", gone.reason());
    assertEquals("configmaps \"crud-del\" not found", gone.json().path("message").asText());
  }

  @Test
  void finalizersHoldDeletionUntilRemoved() {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fin\",\"finalizers\":[\"example.com/hold\"]}}";
    http.post("/api/v1/namespaces/default/configmaps", body);
    JsonNode marked = http.delete("/api/v1/namespaces/default/configmaps/fin").json();
    assertFalse(marked.path("metadata").path("deletionTimestamp").asText().isEmpty(), marked.toString());
    JsonNode still = http.get("/api/v1/namespaces/default/configmaps/fin").json();
    String released = still.toString().replace("\"finalizers\":[\"example.com/hold\"]", "\"finalizers\":[]");
    assertEquals(200, http.put("/api/v1/namespaces/default/configmaps/fin", released).code());
    assertEquals(404, http.get("/api/v1/namespaces/default/configmaps/fin").code());
  }

  @Test
  void labelAndFieldSelectorsFilterLists() {
    http.post("/api/v1/namespaces/default/configmaps", configMap("default", "sel-1", "\"tier\":\"web\",\"env\":\"prod\""));
    http.post("/api/v1/namespaces/default/configmaps", configMap("default", "sel-2", "\"tier\":\"db\",\"env\":\"prod\""));
    http.post("/api/v1/namespaces/default/configmaps", configMap("default", "sel-3", "\"tier\":\"web\""));
    assertEquals(List.of("sel-1", "sel-3"), names("/api/v1/namespaces/default/configmaps?labelSelector=tier%3Dweb"));
    assertEquals(List.of("sel-2"), names("/api/v1/namespaces/default/configmaps?labelSelector=tier%21%3Dweb,env"));
    assertEquals(List.of("sel-1", "sel-2"), names("/api/v1/namespaces/default/configmaps?labelSelector=tier+in+(web,db),env%3D%3Dprod"));
    assertEquals(List.of("sel-3"), names("/api/v1/namespaces/default/configmaps?labelSelector=tier,!env"));
    assertEquals(List.of("sel-2"), names("/api/v1/namespaces/default/configmaps?labelSelector=tier,tier+notin+(web)"));
    // notin (and !=) also select objects that lack the label, as in Kubernetes.
    assertTrue(names("/api/v1/namespaces/default/configmaps?labelSelector=tier+notin+(web)").contains("sel-2"));
    assertEquals(List.of("sel-2"), names("/api/v1/configmaps?fieldSelector=metadata.name%3Dsel-2"));
    Http.Answer bad = http.get("/api/v1/configmaps?fieldSelector=spec.nope%3Dx");
    assertEquals(400, bad.code());
  }

  @Test
  void pagingIsConsistentAtTheFirstPagesRevision() {
    http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"paging\"}}");
    for (int i = 0; i < 7; i++) {
      http.post("/api/v1/namespaces/paging/configmaps", configMap("paging", "p-" + i, ""));
    }
    JsonNode first = http.get("/api/v1/namespaces/paging/configmaps?limit=3").json();
    assertEquals(3, first.path("items").size());
    assertEquals(4, first.path("metadata").path("remainingItemCount").asInt());
    String token = first.path("metadata").path("continue").asText();
    http.post("/api/v1/namespaces/paging/configmaps", configMap("paging", "p-9", ""));
    List<String> rest = new ArrayList<>();
    while (!token.isEmpty()) {
      JsonNode page = http.get("/api/v1/namespaces/paging/configmaps?limit=3&continue=" + token).json();
      page.path("items").forEach(i -> rest.add(i.path("metadata").path("name").asText()));
      assertEquals(first.path("metadata").path("resourceVersion").asText(), page.path("metadata").path("resourceVersion").asText());
      token = page.path("metadata").path("continue").asText("");
    }
    assertEquals(List.of("p-3", "p-4", "p-5", "p-6"), rest);
  }

  @Test
  void namespaceDeletionTerminatesAndRemovesContent() throws Exception {
    http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"doomed\"}}");
    http.post("/api/v1/namespaces/doomed/configmaps", configMap("doomed", "inside", ""));
    // A finalizer on one object keeps the namespace Terminating until it is released.
    http.post("/api/v1/namespaces/doomed/configmaps",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]}}");
    JsonNode terminating = http.delete("/api/v1/namespaces/doomed").json();
    assertEquals("Terminating", terminating.path("status").path("phase").asText(), terminating.toString());
    Http.Answer refused = http.post("/api/v1/namespaces/doomed/configmaps", configMap("doomed", "late", ""));
    assertEquals(403, refused.code(), refused.body());
    assertEquals("NamespaceTerminating", refused.json().path("details").path("causes").get(0).path("reason").asText());
    awaitCode("/api/v1/namespaces/doomed/configmaps/inside", 404);
    assertEquals(200, http.get("/api/v1/namespaces/doomed").code(), "held open by the finalizer");
    JsonNode held = http.get("/api/v1/namespaces/doomed/configmaps/held").json();
    assertFalse(held.path("metadata").path("deletionTimestamp").asText().isEmpty(), held.toString());
    http.put("/api/v1/namespaces/doomed/configmaps/held",
        held.toString().replace("\"finalizers\":[\"example.com/hold\"]", "\"finalizers\":[]"));
    awaitCode("/api/v1/namespaces/doomed", 404);
    Http.Answer missing = http.post("/api/v1/namespaces/nowhere/configmaps", configMap("nowhere", "x", ""));
    assertEquals(404, missing.code());
    assertEquals("namespaces \"nowhere\" not found", missing.json().path("message").asText());
    assertEquals(403, http.delete("/api/v1/namespaces/default").code(), "default may not be deleted");
  }

  private static void awaitCode(String path, int code) throws InterruptedException {
    for (int i = 0; i < 150 && http.get(path).code() != code; i++) {
      Thread.sleep(100);
    }
    assertEquals(code, http.get(path).code(), path);
  }

  @Test
  void scaleAndStatusSubresources() {
    String deploy = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"sc\",\"namespace\":\"default\"},"
        + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"sc\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"sc\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}},\"status\":{\"replicas\":9}}";
    JsonNode created = http.post("/apis/apps/v1/namespaces/default/deployments", deploy).json();
    assertTrue(created.path("status").isMissingNode(), "create ignores status: " + created);
    JsonNode scale = http.get("/apis/apps/v1/namespaces/default/deployments/sc/scale").json();
    assertEquals("Scale", scale.path("kind").asText());
    assertEquals(1, scale.path("spec").path("replicas").asInt());
    assertEquals("app=sc", scale.path("status").path("selector").asText());
    String newScale = "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"sc\",\"namespace\":\"default\"},\"spec\":{\"replicas\":4}}";
    assertEquals(4, http.put("/apis/apps/v1/namespaces/default/deployments/sc/scale", newScale).json().path("spec").path("replicas").asInt());
    JsonNode d = http.get("/apis/apps/v1/namespaces/default/deployments/sc").json();
    assertEquals(4, d.path("spec").path("replicas").asInt());
    String withStatus = d.toString().replaceFirst("\\}$", ",\"status\":{\"replicas\":4,\"observedGeneration\":2}}");
    JsonNode st = http.put("/apis/apps/v1/namespaces/default/deployments/sc/status", withStatus).json();
    assertEquals(4, st.path("status").path("replicas").asInt(), st.toString());
    String mainWrite = st.toString().replace("\"replicas\":4,\"observedGeneration\"", "\"replicas\":7,\"observedGeneration\"");
    JsonNode main = http.put("/apis/apps/v1/namespaces/default/deployments/sc", mainWrite).json();
    assertEquals(4, main.path("status").path("replicas").asInt(), "main write leaves status alone: " + main);
  }

  private static List<String> names(String path) {
    Http.Answer a = http.get(path);
    assertEquals(200, a.code(), a.body());
    List<String> out = new ArrayList<>();
    a.json().path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }
}
