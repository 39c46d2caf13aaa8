package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.testing.ApiServerFixture;
import io.capstan.apiserver.testing.Http;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a delete stores for each propagation policy: the garbage-collection finalizers. */
class PropagationPolicyIT extends ApiServerFixture {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";

  private JsonNode configMap(String name, String finalizers) {
    Http.Answer a = http.post(CMS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"finalizers\":[" + finalizers + "]}}");
    assertEquals(201, a.code(), a.body());
    return a.json();
  }

  private static List<String> finalizers(JsonNode obj) {
    List<String> out = new ArrayList<>();
    obj.path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
    return out;
  }

  @Test
  void foregroundKeepsTheObjectWithTheForegroundFinalizer() {
    configMap("pp-fg", "");
    Http.Answer deleted = http.delete(CMS + "/pp-fg", "{\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Foreground\"}");
    assertEquals(200, deleted.code(), deleted.body());
    assertEquals("ConfigMap", deleted.json().path("kind").asText(), "the object itself, not a Status");
    JsonNode got = http.get(CMS + "/pp-fg").json();
    assertEquals(List.of("foregroundDeletion"), finalizers(got));
    assertFalse(got.path("metadata").path("deletionTimestamp").asText().isEmpty());
    assertEquals(0, got.path("metadata").path("deletionGracePeriodSeconds").asInt(-1));
  }

  @Test
  void orphanFromPolicyOrDeprecatedFlagAddsTheOrphanFinalizer() {
    configMap("pp-or", "");
    assertEquals(200, http.delete(CMS + "/pp-or?propagationPolicy=Orphan").code());
    assertEquals(List.of("orphan"), finalizers(http.get(CMS + "/pp-or").json()));
    configMap("pp-or2", "");
    assertEquals(200, http.delete(CMS + "/pp-or2", "{\"orphanDependents\":true}").code());
    assertEquals(List.of("orphan"), finalizers(http.get(CMS + "/pp-or2").json()));
    configMap("pp-or3", "");
    assertEquals(200, http.delete(CMS + "/pp-or3?orphanDependents=false").code());
    assertEquals(404, http.get(CMS + "/pp-or3").code(), "orphanDependents=false is a background delete");
  }

  @Test
  void backgroundOrNoPolicyRemovesAtOnce() {
    configMap("pp-bg", "");
    Http.Answer bg = http.delete(CMS + "/pp-bg", "{\"propagationPolicy\":\"Background\"}");
    assertEquals("Success", bg.json().path("status").asText(), bg.body());
    assertEquals(404, http.get(CMS + "/pp-bg").code());
    configMap("pp-none", "");
    assertEquals(200, http.delete(CMS + "/pp-none").code());
    assertEquals(404, http.get(CMS + "/pp-none").code());
  }

  @Test
  void otherFinalizersStayAndAnotherPolicySwapsTheGcFinalizer() {
    configMap("pp-swap", "\"example.com/hold\"");
    JsonNode first = http.delete(CMS + "/pp-swap?propagationPolicy=Foreground").json();
    assertEquals(List.of("example.com/hold", "foregroundDeletion"), finalizers(first));
    String since = first.path("metadata").path("deletionTimestamp").asText();
    JsonNode swapped = http.delete(CMS + "/pp-swap?propagationPolicy=Orphan").json();
    assertEquals(List.of("example.com/hold", "orphan"), finalizers(swapped));
    assertEquals(since, swapped.path("metadata").path("deletionTimestamp").asText(), "the deletion keeps its start");
    JsonNode again = http.delete(CMS + "/pp-swap").json();
    assertEquals(List.of("example.com/hold", "orphan"), finalizers(again), "no policy keeps the object's own");
    JsonNode bg = http.delete(CMS + "/pp-swap?propagationPolicy=Background").json();
    assertEquals(List.of("example.com/hold"), finalizers(bg));
    assertEquals(200, http.get(CMS + "/pp-swap").code(), "still held by the other finalizer");
  }

  @Test
  void removingTheGcFinalizerCompletesTheDeletion() {
    configMap("pp-done", "");
    http.delete(CMS + "/pp-done?propagationPolicy=Foreground");
    Http.Answer patched = http.method("PATCH", CMS + "/pp-done", "{\"metadata\":{\"finalizers\":null}}",
        "application/merge-patch+json");
    assertEquals(200, patched.code(), patched.body());
    assertEquals(404, http.get(CMS + "/pp-done").code());
  }

  @Test
  void bothPolicyAndOrphanDependentsIsInvalid() {
    configMap("pp-bad", "");
    Http.Answer bad = http.delete(CMS + "/pp-bad", "{\"propagationPolicy\":\"Foreground\",\"orphanDependents\":false}");
    assertEquals(422, bad.code(), bad.body());
    assertEquals(200, http.get(CMS + "/pp-bad").code());
  }

  @Test
  void batchV1JobsOrphanByDefaultWithAWarning() {
    String job = "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"pp-job\"},\"spec\":{\"template\":"
        + "{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}";
    Http.Answer created = http.post("/apis/batch/v1/namespaces/default/jobs", job);
    assertEquals(201, created.code(), created.body());
    Http.Answer deleted = http.delete("/apis/batch/v1/namespaces/default/jobs/pp-job");
    assertEquals(200, deleted.code(), deleted.body());
    assertTrue(deleted.raw().headers().allValues("Warning").stream()
        .anyMatch(w -> w.contains("child pods are preserved by default when jobs are deleted")));
    assertEquals(List.of("orphan"), finalizers(http.get("/apis/batch/v1/namespaces/default/jobs/pp-job").json()));

  }

  @Test
  void appsV1DeletesDependentsInTheBackgroundByDefault() {
    String rs = "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"name\":\"pp-rs\"},\"spec\":"
        + "{\"replicas\":0,\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}";
    assertEquals(201, http.post("/apis/apps/v1/namespaces/default/replicasets", rs).code());
    assertEquals(200, http.delete("/apis/apps/v1/namespaces/default/replicasets/pp-rs").code());
    assertEquals(404, http.get("/apis/apps/v1/namespaces/default/replicasets/pp-rs").code());
  }

  @Test
  void boundPodKeepsItsGracePeriodWithTheFinalizer() {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pp-pod\"},\"spec\":{\"nodeName\":\"n1\","
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    assertEquals(201, http.post("/api/v1/namespaces/default/pods", pod).code());
    String path = "/api/v1/namespaces/default/pods/pp-pod";
    JsonNode marked = http.delete(path, "{\"propagationPolicy\":\"Foreground\"}").json();
    assertEquals(30, marked.path("metadata").path("deletionGracePeriodSeconds").asInt());
    assertEquals(List.of("foregroundDeletion"), finalizers(marked));
    // A graceful deletion in progress does not take another policy.
    JsonNode same = http.delete(path, "{\"propagationPolicy\":\"Orphan\"}").json();
    assertEquals(List.of("foregroundDeletion"), finalizers(same));
    // The node's confirmation (grace 0) leaves it held by the finalizer.
    JsonNode confirmed = http.delete(path, "{\"gracePeriodSeconds\":0}").json();
    assertEquals(0, confirmed.path("metadata").path("deletionGracePeriodSeconds").asInt(-1));
    assertEquals(List.of("foregroundDeletion"), finalizers(http.get(path).json()));
  }
}
