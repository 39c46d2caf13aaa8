package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.testing.ApiServerFixture;
import io.capstan.apiserver.testing.Http;
import org.junit.jupiter.api.Test;

/** spec.podCIDR and spec.podCIDRs of Nodes: kept in step, checked, set once. */
class NodePodCidrIT extends ApiServerFixture {
  static final String NODES = "/api/v1/nodes";
  static final String MERGE = "application/merge-patch+json";

  static String node(String name, String spec) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec + "}}";
  }

  @Test
  void singularFillsThePluralAndIsChecked() {
    Http.Answer a = http.post(NODES, node("cidr-a", "\"podCIDR\":\"10.244.3.0/24\""));
    assertEquals(201, a.code(), a.body());
    assertEquals("[\"10.244.3.0/24\"]", a.json().path("spec").path("podCIDRs").toString());
    Http.Answer bad = http.post(NODES, node("cidr-bad", "\"podCIDRs\":[\"10.244.3.0\"]"));
    assertEquals(422, bad.code(), bad.body());
    assertEquals("spec.podCIDRs[0]", bad.json().path("details").path("causes").get(0).path("field").asText());
  }

  @Test
  void setOnceThenImmutable() {
    assertEquals(201, http.post(NODES, node("cidr-b", "")).code());
    Http.Answer set = http.method("PATCH", NODES + "/cidr-b",
        "{\"spec\":{\"podCIDR\":\"10.244.4.0/24\",\"podCIDRs\":[\"10.244.4.0/24\"]}}", MERGE);
    assertEquals(200, set.code(), set.body());
    Http.Answer change = http.method("PATCH", NODES + "/cidr-b",
        "{\"spec\":{\"podCIDR\":\"10.244.5.0/24\",\"podCIDRs\":[\"10.244.5.0/24\"]}}", MERGE);
    assertEquals(422, change.code(), change.body());
    JsonNode cause = change.json().path("details").path("causes").get(0);
    assertEquals("spec.podCIDRs", cause.path("field").asText());
    assertEquals("Forbidden: node updates may not change podCIDR except from \"\" to valid", cause.path("message").asText());
    Http.Answer labels = http.method("PATCH", NODES + "/cidr-b", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}", MERGE);
    assertEquals(200, labels.code(), "other changes still work: " + labels.body());
    assertEquals("10.244.4.0/24", labels.json().path("spec").path("podCIDR").asText());
  }
}
