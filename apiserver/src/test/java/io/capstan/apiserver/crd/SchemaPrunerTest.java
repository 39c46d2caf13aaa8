package io.capstan.apiserver.crd;

import static io.capstan.apiserver.crd.Fixtures.json;
import static io.capstan.apiserver.crd.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaPrunerTest {
  private static final StructuralSchema WIDGET = Fixtures.widgetSchema();

  @Test
  void removesAndReportsUnknownFieldsAtEveryDepth() {
    ObjectNode w = json("""
        {"apiVersion": "example.capstan.io/v1", "kind": "Widget",
         "metadata": {"name": "w", "madeUp": 1},
         "extra": true,
         "spec": {"size": "small", "colour": "red",
                  "ports": [{"name": "http", "bogus": 1}, {"name": "dns"}],
                  "settings": {"mode": "auto", "tuning": {"level": 1, "turbo": true}},
                  "labels": {"anything": "goes"}},
         "status": {"replicas": 1, "phase": "Ready"}}
        """);
    List<String> pruned = SchemaPruner.prune(w, WIDGET);
    assertEquals(List.of("extra", "spec.colour", "spec.ports[0].bogus", "spec.settings.tuning.turbo", "status.phase"), pruned);
    assertEquals(json("""
        {"apiVersion": "example.capstan.io/v1", "kind": "Widget",
         "metadata": {"name": "w", "madeUp": 1},
         "spec": {"size": "small",
                  "ports": [{"name": "http"}, {"name": "dns"}],
                  "settings": {"mode": "auto", "tuning": {"level": 1}},
                  "labels": {"anything": "goes"}},
         "status": {"replicas": 1}}
        """), w);
  }

  @Test
  void preservesUnknownFieldsWhereTheSchemaSaysSo() {
    ObjectNode w = json("""
        {"spec": {"template": {"free": {"form": [1, {"x": 2}]}, "known": {"a": "x", "b": "pruned"}}}}
        """);
    assertEquals(List.of("spec.template.known.b"), SchemaPruner.prune(w, WIDGET));
    assertEquals(json("{\"spec\": {\"template\": {\"free\": {\"form\": [1, {\"x\": 2}]}, \"known\": {\"a\": \"x\"}}}}"), w);
  }

  @Test
  void keepsTypeMetaAndMetadataOfEmbeddedResources() {
    ObjectNode w = json("""
        {"spec": {"embedded": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "x": 1},
                               "spec": {"x": "y", "z": 1}, "status": {}}}}
        """);
    assertEquals(List.of("spec.embedded.spec.z", "spec.embedded.status"), SchemaPruner.prune(w, WIDGET));
    assertEquals(json("{\"spec\": {\"embedded\": {\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
        + "\"metadata\": {\"name\": \"p\", \"x\": 1}, \"spec\": {\"x\": \"y\"}}}}"), w);
  }

  @Test
  void rootTypeMetaAndMetadataSurviveAnEmptySchema() {
    ObjectNode obj = json("{\"apiVersion\": \"a/v1\", \"kind\": \"K\", \"metadata\": {\"name\": \"n\"}, \"spec\": {\"a\": 1}}");
    assertEquals(List.of("spec"), SchemaPruner.prune(obj, StructuralSchema.parse(yaml("{type: object}"))));
    assertEquals(json("{\"apiVersion\": \"a/v1\", \"kind\": \"K\", \"metadata\": {\"name\": \"n\"}}"), obj);
  }

  @Test
  void rootPreserveUnknownFieldsKeepsEverything() {
    ObjectNode obj = json("{\"spec\": {\"a\": 1}, \"other\": [1]}");
    StructuralSchema s = StructuralSchema.parse(yaml("{type: object, x-kubernetes-preserve-unknown-fields: true}"));
    assertEquals(List.of(), SchemaPruner.prune(obj, s));
    assertEquals(json("{\"spec\": {\"a\": 1}, \"other\": [1]}"), obj);
  }

  @Test
  void objectsInUntypedListItemsAreEmptied() {
    StructuralSchema s = StructuralSchema.parse(yaml("{type: object, properties: {list: {type: array, items: {type: object}}}}"));
    ObjectNode obj = json("{\"list\": [{\"a\": 1}, {}]}");
    assertEquals(List.of("list[0].a"), SchemaPruner.prune(obj, s));
    assertEquals(json("{\"list\": [{}, {}]}"), obj);
  }
}
