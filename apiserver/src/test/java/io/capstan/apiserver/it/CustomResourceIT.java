package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.testing.ApiServerFixture;
import io.capstan.apiserver.testing.Http;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** CustomResourceDefinitions: served within a second, validated, defaulted, pruned, cleaned up. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomResourceIT extends ApiServerFixture {
  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  static final String CT = "/apis/stable.example.com/v1/namespaces/default/crontabs";

  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{"
      + "\"spec\":{\"type\":\"object\",\"description\":\"What the cron tab runs.\",\"properties\":{"
      + "\"cronSpec\":{\"type\":\"string\",\"pattern\":\"^(\\\\S+ ){4}\\\\S+$\"},"
      + "\"image\":{\"type\":\"string\"},"
      + "\"replicas\":{\"type\":\"integer\",\"minimum\":0,\"default\":1}},\"required\":[\"cronSpec\"]},"
      + "\"status\":{\"type\":\"object\",\"properties\":{\"replicas\":{\"type\":\"integer\"},\"selector\":{\"type\":\"string\"}}}}}";

  static String crd(String versionsExtra) {
    return "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
        + "\"metadata\":{\"name\":\"crontabs.stable.example.com\"},\"spec\":{\"group\":\"stable.example.com\","
        + "\"scope\":\"Namespaced\",\"names\":{\"plural\":\"crontabs\",\"singular\":\"crontab\",\"kind\":\"CronTab\","
        + "\"shortNames\":[\"ct\"],\"categories\":[\"all\"]},\"versions\":["
        + "{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":" + SCHEMA + "},"
        + "\"subresources\":{\"status\":{},\"scale\":{\"specReplicasPath\":\".spec.replicas\","
        + "\"statusReplicasPath\":\".status.replicas\",\"labelSelectorPath\":\".status.selector\"}},"
        + "\"additionalPrinterColumns\":[{\"name\":\"Spec\",\"type\":\"string\",\"jsonPath\":\".spec.cronSpec\"},"
        + "{\"name\":\"Replicas\",\"type\":\"integer\",\"jsonPath\":\".spec.replicas\"}]}"
        + versionsExtra + "]}}";
  }

  static String cronTab(String name, String spec) {
    return "{\"apiVersion\":\"stable.example.com/v1\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"" + name
        + "\"},\"spec\":" + spec + "}";
  }

  @Test
  @Order(1)
  void crdIsEstablishedAndServed() throws Exception {
    String beta = ",{\"name\":\"v1beta1\",\"served\":true,\"storage\":false,\"schema\":{\"openAPIV3Schema\":" + SCHEMA + "}}";
    Http.Answer created = http.post(CRDS, crd(beta));
    assertEquals(201, created.code(), created.body());
    JsonNode crd = awaitEstablished();
    assertEquals("crontabs", crd.path("status").path("acceptedNames").path("plural").asText());
    assertEquals("v1", crd.path("status").path("storedVersions").get(0).asText());
    JsonNode resources = http.get("/apis/stable.example.com/v1").json();
    assertTrue(resources.toString().contains("\"name\":\"crontabs\""), resources.toString());
    assertTrue(resources.toString().contains("crontabs/scale"), resources.toString());
    assertTrue(http.get("/openapi/v3").body().contains("apis/stable.example.com/v1"));
  }

  @Test
  @Order(2)
  void objectsAreDefaultedPrunedAndValidated() {
    Http.Answer a = http.post(CT, cronTab("every-minute", "{\"cronSpec\":\"* * * * *\",\"image\":\"busybox:1\",\"extra\":1}"));
    assertEquals(201, a.code(), a.body());
    JsonNode obj = a.json();
    assertEquals(1, obj.path("spec").path("replicas").asInt(), "default applied: " + obj);
    assertTrue(obj.path("spec").path("extra").isMissingNode(), "unknown field pruned: " + obj);
    assertEquals(1, obj.path("metadata").path("generation").asInt());
    assertTrue(a.raw().headers().firstValue("Warning").orElse("").contains("unknown field \\\"spec.extra\\\""),
        a.raw().headers().map().toString());

    Http.Answer strict = http.post(CT + "?fieldValidation=Strict", cronTab("strict", "{\"cronSpec\":\"* * * * *\",\"extra\":1}"));
    assertEquals(400, strict.code(), strict.body());
    assertTrue(strict.body().contains("unknown field \\\"spec.extra\\\""), strict.body());

    long before = server.storage().currentRevision();
    Http.Answer invalid = http.post(CT, cronTab("bad", "{\"cronSpec\":\"nope\",\"replicas\":-1}"));
    assertEquals(422, invalid.code(), invalid.body());
    List<String> fields = new ArrayList<>();
    invalid.json().path("details").path("causes").forEach(c -> fields.add(c.path("field").asText()));
    assertTrue(fields.contains("spec.cronSpec") && fields.contains("spec.replicas"), fields.toString());
    Http.Answer wrongType = http.post(CT, cronTab("bad2", "{\"cronSpec\":\"* * * * *\",\"replicas\":\"two\"}"));
    assertEquals(422, wrongType.code(), wrongType.body());
    assertEquals(before, server.storage().currentRevision(), "nothing written");
  }

  @Test
  @Order(3)
  void otherServedVersionsShowTheirApiVersion() {
    JsonNode beta = http.get("/apis/stable.example.com/v1beta1/namespaces/default/crontabs/every-minute").json();
    assertEquals("stable.example.com/v1beta1", beta.path("apiVersion").asText(), beta.toString());
  }

  @Test
  @Order(4)
  void statusAndScaleSubresourcesAndUpdateRules() {
    JsonNode obj = http.get(CT + "/every-minute").json();
    com.fasterxml.jackson.databind.node.ObjectNode noRv = obj.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) noRv.get("metadata")).remove("resourceVersion");
    Http.Answer unconditional = http.put(CT + "/every-minute", noRv.toString());
    assertEquals(422, unconditional.code(), unconditional.body());
    String withStatus = obj.toString().replaceFirst("\\}$", ",\"status\":{\"replicas\":1,\"selector\":\"app=cron\"}}");
    JsonNode st = http.put(CT + "/every-minute/status", withStatus).json();
    assertEquals(1, st.path("status").path("replicas").asInt(), st.toString());
    assertEquals(obj.path("metadata").path("generation").asInt(), st.path("metadata").path("generation").asInt(),
        "status writes do not bump generation");
    JsonNode scale = http.get(CT + "/every-minute/scale").json();
    assertEquals("Scale", scale.path("kind").asText());
    assertEquals(1, scale.path("spec").path("replicas").asInt());
    assertEquals("app=cron", scale.path("status").path("selector").asText());
    String newScale = "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"every-minute\"},\"spec\":{\"replicas\":3}}";
    assertEquals(200, http.put(CT + "/every-minute/scale", newScale).code());
    JsonNode after = http.get(CT + "/every-minute").json();
    assertEquals(3, after.path("spec").path("replicas").asInt());
    assertEquals(1, after.path("status").path("replicas").asInt(), "main object keeps its status");
    assertEquals(2, after.path("metadata").path("generation").asInt());
  }

  @Test
  @Order(5)
  void tablesUsePrinterColumns() {
    JsonNode table = http.get(CT, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json").json();
    List<String> columns = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
    assertEquals(List.of("Name", "Spec", "Replicas"), columns);
    assertEquals("* * * * *", table.path("rows").get(0).path("cells").get(1).asText());
  }

  @Test
  @Order(6)
  void nonStructuralCrdIsInvalid() {
    long before = server.storage().currentRevision();
    String bad = crd("").replace("crontabs", "gizmos").replace("crontab", "gizmo").replace("CronTab", "Gizmo")
        .replace("\"ct\"", "\"gz\"").replace("\"image\":{\"type\":\"string\"}", "\"image\":{}");
    Http.Answer a = http.post(CRDS, bad);
    assertEquals(422, a.code(), a.body());
    assertTrue(a.body().contains("openAPIV3Schema"), a.body());
    assertEquals(before, server.storage().currentRevision());
  }

  @Test
  @Order(7)
  void deletingTheCrdDeletesItsObjects() throws Exception {
    http.post(CT, cronTab("second", "{\"cronSpec\":\"0 * * * *\"}"));
    assertEquals(200, http.delete(CRDS + "/crontabs.stable.example.com").code());
    for (int i = 0; i < 100 && http.get(CRDS + "/crontabs.stable.example.com").code() != 404; i++) {
      Thread.sleep(100);
    }
    assertEquals(404, http.get(CRDS + "/crontabs.stable.example.com").code());
    assertEquals(404, http.get(CT).code(), "resource no longer served");
    assertEquals(0, server.storage().count("/registry/stable.example.com/crontabs/"));
  }

  private static JsonNode awaitEstablished() throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      JsonNode crd = http.get(CRDS + "/crontabs.stable.example.com").json();
      for (JsonNode c : crd.path("status").path("conditions")) {
        if (c.path("type").asText().equals("Established") && c.path("status").asText().equals("True")) {
          assertFalse(crd.path("metadata").path("finalizers").isEmpty());
          return crd;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("CRD not established within a second");
  }
}
