package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.ApiServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad requests get the right Status, nothing is written, and the server keeps serving. */
class BadInputIT extends ApiServerFixture {
  static final String CM = "/api/v1/namespaces/default/configmaps";

  @AfterEach
  void stillServing() {
    assertEquals(200, http.get("/api/v1/namespaces/default").code());
  }

  private static void assertStatus(Http.Answer a, int code, String reason) {
    assertEquals(code, a.code(), a.body());
    JsonNode s = a.json();
    assertEquals("Status", s.path("kind").asText(), a.body());
    assertEquals("v1", s.path("apiVersion").asText());
    assertEquals("Failure", s.path("status").asText());
    assertEquals(reason, s.path("reason").asText());
    assertEquals(code, s.path("code").asInt());
  }

  private static long revision() {
    return server.storage().currentRevision();
  }

  @Test
  void malformedJson() {
    long before = revision();
    assertStatus(http.post(CM, "{\"apiVersion\":\"v1\",\"kind\":"), 400, "BadRequest");
    assertStatus(http.post(CM, "[1,2]"), 400, "BadRequest");
    assertStatus(http.post(CM, ""), 400, "BadRequest");
    assertEquals(before, revision());
  }

  @Test
  void malformedYaml() {
    assertStatus(http.post(CM, "apiVersion: v1\nkind: ConfigMap\nmetadata: [\n  name: x", "application/yaml"), 400, "BadRequest");
  }

  @Test
  void yamlBodiesWork() {
    Http.Answer a = http.post(CM, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n", "application/yaml");
    assertEquals(201, a.code(), a.body());
  }

  @Test
  void unknownResourceAndGroup() {
    assertStatus(http.get("/api/v1/namespaces/default/widgets"), 404, "NotFound");
    assertStatus(http.get("/apis/example.com/v1/widgets"), 404, "NotFound");
    assertStatus(http.post("/apis/apps/v9/namespaces/default/deployments", "{}"), 404, "NotFound");
  }

  @Test
  void wrongKindOrApiVersionForTheUrl() {
    assertStatus(http.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"k\"}}"), 400, "BadRequest");
    Http.Answer a = http.post(CM, "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"k\"}}");
    assertStatus(a, 400, "BadRequest");
    assertTrue(a.json().path("message").asText().contains("apps/v1"));
  }

  @Test
  void nameInBodyMustMatchUrl() {
    http.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"named\"}}");
    Http.Answer a = http.put(CM + "/named", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"other\"}}");
    assertStatus(a, 400, "BadRequest");
    assertTrue(a.json().path("message").asText().contains("does not match the name on the URL"));
  }

  @Test
  void namespaceInBodyMustMatchUrl() {
    assertStatus(http.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n\",\"namespace\":\"kube-system\"}}"),
        400, "BadRequest");
  }

  @Test
  void invalidNamesAreInvalidWithFieldCauses() {
    long before = revision();
    Http.Answer a = http.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}");
    assertStatus(a, 422, "Invalid");
    JsonNode cause = a.json().path("details").path("causes").get(0);
    assertEquals("FieldValueInvalid", cause.path("reason").asText());
    assertEquals("metadata.name", cause.path("field").asText());
    assertTrue(a.json().path("message").asText().startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\""),
        a.json().path("message").asText());
    Http.Answer missing = http.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}");
    assertStatus(missing, 422, "Invalid");
    assertEquals("FieldValueRequired", missing.json().path("details").path("causes").get(0).path("reason").asText());
    Http.Answer ns = http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a.b\"}}");
    assertStatus(ns, 422, "Invalid");
    assertEquals(before, revision());
  }

  @Test
  void podWithoutContainersIsInvalid() {
    Http.Answer a = http.post("/api/v1/namespaces/default/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{}}");
    assertStatus(a, 422, "Invalid");
    assertEquals("spec.containers", a.json().path("details").path("causes").get(0).path("field").asText());
  }

  @Test
  void deploymentSelectorMustMatchTemplate() {
    String d = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"mismatch\"},\"spec\":{\"selector\":"
        + "{\"matchLabels\":{\"app\":\"a\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"b\"}},\"spec\":{\"containers\":"
        + "[{\"name\":\"c\",\"image\":\"i\"}]}}}}";
    Http.Answer a = http.post("/apis/apps/v1/namespaces/default/deployments", d);
    assertStatus(a, 422, "Invalid");
    assertEquals("spec.template.metadata.labels", a.json().path("details").path("causes").get(0).path("field").asText());
  }

  @Test
  void missingNamespace() {
    assertStatus(http.post("/api/v1/namespaces/ghost/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"),
        404, "NotFound");
  }

  @Test
  void oversizeBody() {
    long before = revision();
    String big = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"x\":\""
        + "a".repeat(3 * 1024 * 1024 + 10) + "\"}}";
    assertStatus(http.post(CM, big), 413, "RequestEntityTooLarge");
    assertEquals(before, revision());
  }

  @Test
  void unsupportedMediaType() {
    assertStatus(http.post(CM, "<configMap/>", "application/xml"), 415, "UnsupportedMediaType");
  }

  @Test
  void undecodableProtobuf() {
    long before = revision();
    assertStatus(http.post(CM, "k8s\u0000junk", "application/vnd.kubernetes.protobuf"), 400, "BadRequest");
    assertStatus(http.post(CM, "{}", "application/vnd.kubernetes.protobuf"), 400, "BadRequest");
    assertEquals(before, revision());
  }

  @Test
  void methodNotAllowed() {
    assertStatus(http.post("/api/v1/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"),
        405, "MethodNotAllowed");
    assertStatus(http.post(CM + "/x", "{}"), 405, "MethodNotAllowed");
  }

  @Test
  void accessReviewsAreAnsweredNotStored() {
    long before = revision();
    Http.Answer a = http.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":"
            + "{\"verb\":\"create\",\"resource\":\"pods\",\"namespace\":\"default\"}}}");
    assertEquals(201, a.code(), a.body());
    assertTrue(a.json().path("status").path("allowed").asBoolean());
    assertEquals(before, revision());
    assertStatus(http.get("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"), 405, "MethodNotAllowed");
  }

  @Test
  void strictFieldValidationRejectsUnknownAndDuplicateFields() {
    long before = revision();
    Http.Answer unknown = http.post(CM + "?fieldValidation=Strict",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"s\",\"nmae\":\"x\"},\"dta\":{}}");
    assertStatus(unknown, 400, "BadRequest");
    assertTrue(unknown.json().path("message").asText().contains("unknown field \"metadata.nmae\""), unknown.body());
    assertTrue(unknown.json().path("message").asText().contains("unknown field \"dta\""), unknown.body());
    Http.Answer dup = http.post(CM + "?fieldValidation=Strict",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"s\",\"name\":\"t\"}}");
    assertStatus(dup, 400, "BadRequest");
    assertTrue(dup.json().path("message").asText().contains("duplicate field \"name\""), dup.body());
    assertEquals(before, revision());
  }

  @Test
  void warnFieldValidationAcceptsWithWarningHeader() {
    Http.Answer a = http.post(CM + "?fieldValidation=Warn",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"warned\"},\"dta\":{}}");
    assertEquals(201, a.code(), a.body());
    assertEquals("299 - \"unknown field \\\"dta\\\"\"", a.raw().headers().firstValue("Warning").orElse(""));
    Http.Answer ignored = http.post(CM + "?fieldValidation=Ignore",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ignored\"},\"dta\":{}}");
    assertEquals(201, ignored.code());
    assertTrue(ignored.raw().headers().firstValue("Warning").isEmpty());
  }

  @Test
  void nestedKnownFieldsPassStrictValidation() {
    String d = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"strict-ok\",\"annotations\":{\"a/b\":\"c\"}},"
        + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"s\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"s\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"}],"
        + "\"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}},\"env\":[{\"name\":\"A\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}]}]}}}}";
    assertEquals(201, http.post("/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict", d).code());
    String typo = d.replace("strict-ok", "strict-typo").replace("\"containerPort\"", "\"containerPrt\"");
    Http.Answer a = http.post("/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict", typo);
    assertStatus(a, 400, "BadRequest");
    assertTrue(a.body().contains("spec.template.spec.containers[0].ports[0].containerPrt"), a.body());
  }

  @Test
  void dryRunPersistsNothing() {
    long before = revision();
    Http.Answer a = http.post(CM + "?dryRun=All", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}");
    assertEquals(201, a.code(), a.body());
    assertEquals("dry", a.json().path("metadata").path("name").asText());
    assertEquals(404, http.get(CM + "/dry").code());
    assertEquals(before, revision());
  }

  @Test
  void createWithResourceVersionIsRefused() {
    assertStatus(http.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"rv\",\"resourceVersion\":\"5\"}}"),
        400, "BadRequest");
  }

  @Test
  void badListOptions() {
    assertStatus(http.get(CM + "?resourceVersionMatch=Exact"), 422, "Invalid");
    assertStatus(http.get(CM + "?continue=notatoken"), 400, "BadRequest");
    assertStatus(http.get(CM + "?labelSelector=a%3D%3D%3Db%3D"), 400, "BadRequest");
    assertStatus(http.get(CM + "?resourceVersion=abc"), 400, "BadRequest");
    assertStatus(http.get(CM + "?limit=1&resourceVersion=999999999&resourceVersionMatch=Exact"), 504, "Timeout");
  }

  @Test
  void alreadyExists() {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"twice\"}}";
    assertEquals(201, http.post(CM, body).code());
    Http.Answer a = http.post(CM, body);
    assertStatus(a, 409, "AlreadyExists");
    assertEquals("configmaps \"twice\" already exists", a.json().path("message").asText());
  }
}
