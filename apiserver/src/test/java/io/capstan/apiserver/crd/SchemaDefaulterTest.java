package io.capstan.apiserver.crd;

import static io.capstan.apiserver.crd.Fixtures.json;
import static io.capstan.apiserver.crd.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDefaulterTest {
  private static final StructuralSchema WIDGET = Fixtures.widgetSchema();

  private static ObjectNode defaulted(String objJson) {
    ObjectNode obj = json(objJson);
    SchemaDefaulter.applyDefaults(obj, WIDGET);
    return obj;
  }

  @Test
  void fillsAbsentFieldsOfExistingObjects() {
    ObjectNode w = defaulted("{\"apiVersion\": \"example.capstan.io/v1\", \"kind\": \"Widget\", \"metadata\": {\"name\": \"w\"}, "
        + "\"spec\": {\"settings\": {\"tuning\": {}}}}");
    assertEquals(json("""
        {"apiVersion": "example.capstan.io/v1", "kind": "Widget", "metadata": {"name": "w"},
         "spec": {"settings": {"tuning": {"level": 3}, "mode": "auto"}, "replicas": 1, "size": "small",
                  "defaulted": {"enabled": true}}}
        """), w);
    assertEquals(List.of(), SchemaValidator.validate(w, WIDGET));
  }

  @Test
  void keepsGivenValues() {
    ObjectNode w = defaulted("{\"spec\": {\"replicas\": 5, \"size\": \"large\", \"defaulted\": {\"enabled\": false}}}");
    assertEquals(5, w.at("/spec/replicas").asInt());
    assertEquals("large", w.at("/spec/size").asText());
    assertFalse(w.at("/spec/defaulted/enabled").asBoolean());
  }

  @Test
  void doesNotCreateAbsentParents() {
    ObjectNode w = defaulted("{\"spec\": {\"size\": \"small\"}}");
    assertFalse(w.get("spec").has("settings"), "settings has no default of its own");
    assertFalse(w.has("status"));
    ObjectNode none = defaulted("{\"metadata\": {\"name\": \"w\"}}");
    assertEquals(json("{\"metadata\": {\"name\": \"w\"}}"), none, "no spec, so nothing below it is defaulted");
  }

  @Test
  void defaultsInsideListItemsAndMapValues() {
    ObjectNode w = defaulted("""
        {"spec": {"ports": [{"name": "http", "port": 80}, {"name": "dns", "protocol": "UDP"}],
                  "limits": {"cpu": {"max": 4}, "mem": {"unit": "Gi"}}}}
        """);
    assertEquals("TCP", w.at("/spec/ports/0/protocol").asText());
    assertEquals("UDP", w.at("/spec/ports/1/protocol").asText());
    assertEquals("count", w.at("/spec/limits/cpu/unit").asText());
    assertEquals("Gi", w.at("/spec/limits/mem/unit").asText());
  }

  @Test
  void nullsAreDefaultedOrDroppedUnlessNullable() {
    ObjectNode w = defaulted("{\"spec\": {\"replicas\": null, \"ratio\": null, \"owner\": null, \"unknown\": null}}");
    assertEquals(1, w.at("/spec/replicas").asInt(), "non-nullable null with a default gets the default");
    assertFalse(w.get("spec").has("ratio"), "non-nullable null without a default is dropped");
    assertEquals(true, w.get("spec").get("owner").isNull(), "nullable null stays");
    assertEquals(true, w.get("spec").get("unknown").isNull(), "unknown fields are the pruner's business");
  }

  @Test
  void defaultsAreDeepCopies() {
    StructuralSchema s = StructuralSchema.parse(yaml("""
        type: object
        properties:
          a: {type: object, default: {x: [1]}, properties: {x: {type: array, items: {type: integer}}}}
        """));
    ObjectNode one = json("{}");
    SchemaDefaulter.applyDefaults(one, s);
    ((com.fasterxml.jackson.databind.node.ArrayNode) one.at("/a/x")).add(2);
    ObjectNode two = json("{}");
    SchemaDefaulter.applyDefaults(two, s);
    assertEquals(json("{\"a\": {\"x\": [1]}}"), two);
  }

  @Test
  void defaultsOfItemsReplaceNullItems() {
    StructuralSchema s = StructuralSchema.parse(yaml("""
        type: object
        properties:
          names: {type: array, items: {type: string, default: unnamed}}
        """));
    ObjectNode obj = json("{\"names\": [\"a\", null]}");
    SchemaDefaulter.applyDefaults(obj, s);
    assertEquals(json("{\"names\": [\"a\", \"unnamed\"]}"), obj);
  }
}
