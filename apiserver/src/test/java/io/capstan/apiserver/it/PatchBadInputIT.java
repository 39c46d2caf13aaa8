package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.ApiServerFixture;
import io.capstan.apiserver.testing.Http;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Invalid patches, immutable fields and apply conflicts: the right Status and nothing written. */
class PatchBadInputIT extends ApiServerFixture {
  static final String D = "/apis/apps/v1/namespaces/default/deployments/web";

  @BeforeAll
  static void deployment() {
    String body = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
        + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":"
        + "{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"registry.local:5000/web:1\"}]}}}}";
    assertEquals(201, http.post("/apis/apps/v1/namespaces/default/deployments?fieldManager=creator", body).code());
  }

  private static void assertNothingWritten(Http.Answer a, int code, String reason, long before) {
    assertEquals(code, a.code(), a.body());
    assertEquals(reason, a.json().path("reason").asText(), a.body());
    assertEquals(before, server.storage().currentRevision(), "nothing written");
  }

  @Test
  void invalidPatchDocuments() {
    long before = server.storage().currentRevision();
    assertNothingWritten(http.method("PATCH", D, "{not json", "application/merge-patch+json"), 400, "BadRequest", before);
    assertNothingWritten(http.method("PATCH", D, "{\"op\":\"add\"}", "application/json-patch+json"), 400, "BadRequest", before);
    assertNothingWritten(http.method("PATCH", D, "[{\"op\":\"frobnicate\",\"path\":\"/x\"}]", "application/json-patch+json"),
        400, "BadRequest", before);
    assertNothingWritten(http.method("PATCH", D, "[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]", "application/json-patch+json"),
        422, "Invalid", before);
    assertNothingWritten(http.method("PATCH", D, "{\"spec\":{\"template\":{\"spec\":{\"containers\":{\"name\":\"x\"}}}}}",
        "application/strategic-merge-patch+json"), 400, "BadRequest", before);
    assertNothingWritten(http.method("PATCH", D, "{}", "text/plain"), 415, "UnsupportedMediaType", before);
    assertNothingWritten(http.method("PATCH", D, "{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"a\":\"b\"}}}",
        "application/merge-patch+json"), 409, "Conflict", before);
  }

  @Test
  void patchTouchingAnImmutableField() {
    long before = server.storage().currentRevision();
    Http.Answer a = http.method("PATCH", D, "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"other\"}},"
        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"other\"}}}}}", "application/merge-patch+json");
    assertNothingWritten(a, 422, "Invalid", before);
    assertEquals("spec.selector", a.json().path("details").path("causes").get(0).path("field").asText(), a.body());
  }

  @Test
  void applyConflictWithoutForceAndMissingFieldManager() {
    long before = server.storage().currentRevision();
    String config = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n";
    Http.Answer conflict = http.method("PATCH", D + "?fieldManager=applier", config, "application/apply-patch+yaml");
    assertNothingWritten(conflict, 409, "Conflict", before);
    assertTrue(conflict.json().path("message").asText().contains("conflict with \"creator\""), conflict.body());
    assertEquals("FieldManagerConflict", conflict.json().path("details").path("causes").get(0).path("reason").asText());
    assertNothingWritten(http.method("PATCH", D, config, "application/apply-patch+yaml"), 422, "Invalid", before);
    Http.Answer forced = http.method("PATCH", D + "?fieldManager=applier&force=true", config, "application/apply-patch+yaml");
    assertEquals(200, forced.code(), forced.body());
    assertEquals(5, forced.json().path("spec").path("replicas").asInt());
  }
}
