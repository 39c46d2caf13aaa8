package io.capstan.apiserver.registry.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.json.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strategic merge patches as kubectl and the Python client send them, on realistic objects. */
class StrategicMergePatchTest {

  // ---- kubectl set image / apply on a two-container Deployment ----

  @Test
  void setImageChangesOneContainerAndKeepsTheOther() {
    ObjectNode d = load("deployment.yaml");
    ObjectNode out = apply(d, """
        {"spec":{"template":{"spec":{
          "$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
          "containers":[{"image":"nginx:1.29","name":"web"}]}}}}""", Deployment.class);
    JsonNode containers = podSpec(out).get("containers");
    assertEquals(List.of("web", "sidecar"), values(containers, "name"));
    assertEquals("nginx:1.29", containers.get(0).get("image").asText());
    assertEquals(List.of("A", "B", "C"), values(containers.get(0).get("env"), "name"), "env untouched");
    assertEquals("500m", containers.get(0).at("/resources/limits/cpu").asText());
    assertEquals(d.at("/spec/template/spec/containers/1"), containers.get(1), "sidecar untouched");
    assertFalse(Json.string(out).contains("$setElementOrder"), "no directive is stored");
  }

  @Test
  void setElementOrderReordersWithoutAddingOrDeleting() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"},{"name":"ghost"}]}}}}""",
        Deployment.class);
    assertEquals(List.of("sidecar", "web"), values(podSpec(out).get("containers"), "name"));
  }

  @Test
  void setElementOrderInterleavesServerOnlyItemsByTheirOriginalPosition() {
    // Mirrors upstream's "set elements order in a list with server-only items 2": c9 is unknown
    // to the client and keeps its place between the items that were around it.
    ObjectNode out = apply(load("pod.yaml"), """
        {"spec":{"$setElementOrder/containers":[{"name":"c2"},{"name":"c1"},{"name":"c4"},{"name":"c3"}],
                 "containers":[{"name":"c1","image":"app:1.1"}]}}""", Pod.class);
    JsonNode containers = out.at("/spec/containers");
    assertEquals(List.of("c2", "c1", "c9", "c4", "c3"), values(containers, "name"));
    assertEquals("app:1.1", containers.get(1).get("image").asText());
  }

  @Test
  void patchListOutOfOrderWithSetElementOrderIsRejected() {
    ApiException e = rejected(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
          "containers":[{"name":"sidecar","image":"b"},{"name":"web","image":"a"}]}}}}""", Deployment.class);
    assertTrue(e.getMessage().contains("doesn't match"), e.getMessage());
  }

  @Test
  void applyRemovesAnEnvVarByMergeKey() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{
          "$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
          "containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"C"}],
                         "env":[{"$patch":"delete","name":"B"}],"name":"web"}]}}}}""", Deployment.class);
    JsonNode env = podSpec(out).at("/containers/0/env");
    assertEquals(List.of("A", "C"), values(env, "name"));
    assertEquals("3", env.get(1).get("value").asText());
  }

  @Test
  void applyDeletesAContainer() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
          "containers":[{"$patch":"delete","name":"sidecar"}]}}}}""", Deployment.class);
    assertEquals(List.of("web"), values(podSpec(out).get("containers"), "name"));
  }

  @Test
  void addingAPortMergesByContainerPort() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
          "containers":[{"name":"web","$setElementOrder/ports":[{"containerPort":80},{"containerPort":443}],
                         "ports":[{"containerPort":443,"protocol":"TCP"}]}]}}}}""", Deployment.class);
    JsonNode ports = podSpec(out).at("/containers/0/ports");
    assertEquals(List.of("80", "443"), values(ports, "containerPort"));
  }

  @Test
  void withoutSetElementOrderANewItemComesFirstAsUpstream() {
    // kubectl patch with a hand-written patch: upstream puts items unknown to the original list
    // before the server-only ones (the "patch-demo-ctr-2" example of the kubectl patch docs).
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"containers":[{"name":"redis","image":"redis"}]}}}}""", Deployment.class);
    assertEquals(List.of("redis", "web", "sidecar"), values(podSpec(out).get("containers"), "name"));
  }

  @Test
  void nullRemovesFields() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"metadata":{"labels":{"tier":null}},"spec":{"progressDeadlineSeconds":null,
          "template":{"spec":{"containers":[{"name":"web","resources":null}]}}}}""", Deployment.class);
    assertEquals(Json.MAPPER.createObjectNode().put("app", "web"), out.at("/metadata/labels"));
    assertFalse(out.get("spec").has("progressDeadlineSeconds"));
    assertFalse(podSpec(out).get("containers").get(0).has("resources"));
    assertEquals(2, out.at("/spec/replicas").asInt(), "siblings untouched");
  }

  @Test
  void retainKeysSwitchesRollingUpdateToRecreate() {
    String kubectlApply = """
        {"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}""";
    String withoutNull = """
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""";
    for (String patch : List.of(kubectlApply, withoutNull)) {
      ObjectNode out = apply(load("deployment.yaml"), patch, Deployment.class);
      assertEquals(Json.MAPPER.createObjectNode().put("type", "Recreate"), out.at("/spec/strategy"), patch);
    }
  }

  @Test
  void retainKeysMustListEveryPatchedKey() {
    ApiException e = rejected(load("deployment.yaml"), """
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""",
        Deployment.class);
    assertTrue(e.getMessage().contains("retainKeys"), e.getMessage());
  }

  @Test
  void retainKeysOnAVolumeItemSwitchesItsSource() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"volumes":[
          {"$retainKeys":["configMap","name"],"configMap":{"name":"cfg"},"name":"data"}]}}}}""", Deployment.class);
    assertEquals(json("""
        [{"name":"data","configMap":{"name":"cfg"}}]"""), podSpec(out).get("volumes"));
  }

  // ---- primitive lists with strategy merge ----

  @Test
  void deleteFromPrimitiveListRemovesAFinalizer() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/b","example.com/absent"]}}""",
        Deployment.class);
    assertEquals(json("[\"example.com/a\",\"example.com/c\"]"), out.at("/metadata/finalizers"));
  }

  @Test
  void deleteFromPrimitiveListWithElementOrderAsKubectlApplySendsIt() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"metadata":{"$setElementOrder/finalizers":["example.com/c","example.com/a"],
                     "$deleteFromPrimitiveList/finalizers":["example.com/b"]}}""", Deployment.class);
    assertEquals(json("[\"example.com/c\",\"example.com/a\"]"), out.at("/metadata/finalizers"));
  }

  @Test
  void finalizersMergeAsASet() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"metadata":{"finalizers":["example.com/c","example.com/d"]}}""", Deployment.class);
    assertEquals(json("[\"example.com/a\",\"example.com/b\",\"example.com/c\",\"example.com/d\"]"),
        out.at("/metadata/finalizers"));
    ObjectNode prepended = apply(load("deployment.yaml"), """
        {"metadata":{"finalizers":["example.com/z"]}}""", Deployment.class);
    assertEquals(json("[\"example.com/z\",\"example.com/a\",\"example.com/b\",\"example.com/c\"]"),
        prepended.at("/metadata/finalizers"), "upstream puts values new to the list first");
  }

  // ---- replace ----

  @Test
  void patchReplaceItemReplacesTheWholeList() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"alpine","env":null}]}}}}""",
        Deployment.class);
    assertEquals(json("[{\"name\":\"only\",\"image\":\"alpine\"}]"), podSpec(out).get("containers"));
    ObjectNode kept = apply(load("deployment.yaml"), "{\"spec\":{\"template\":{\"spec\":{\"containers\":[]}}}}",
        Deployment.class);
    assertEquals(List.of("web", "sidecar"), values(podSpec(kept).get("containers"), "name"), "[] merges nothing");
  }

  @Test
  void tolerationsHaveNoMergeKeyAndAreReplaced() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"tolerations":[{"key":"gpu","operator":"Exists","effect":"NoSchedule"}]}}}}""",
        Deployment.class);
    assertEquals(json("[{\"key\":\"gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"),
        podSpec(out).get("tolerations"));
  }

  @Test
  void argsArePrimitiveListsWithoutStrategyAndAreReplaced() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"containers":[{"name":"sidecar","args":["sleep","10"]}]}}}}""",
        Deployment.class);
    assertEquals(json("[\"sleep\",\"10\"]"), podSpec(out).at("/containers/1/args"));
  }

  @Test
  void mapDirectivesReplaceAndDelete() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"metadata":{"labels":{"$patch":"replace","owner":"me"}},
         "spec":{"template":{"spec":{"containers":[{"name":"web","resources":{"$patch":"delete"}}]}}}}""",
        Deployment.class);
    assertEquals(Json.MAPPER.createObjectNode().put("owner", "me"), out.at("/metadata/labels"));
    assertEquals(Json.object(), podSpec(out).at("/containers/0/resources"), "upstream leaves an empty map");
  }

  // ---- Service, Pod ----

  @Test
  void servicePortsMergeByPort() {
    ObjectNode out = apply(load("service.yaml"), """
        {"spec":{"ports":[{"port":80,"targetPort":9090}]}}""", Service.class);
    JsonNode ports = out.at("/spec/ports");
    assertEquals(List.of("http", "https"), values(ports, "name"));
    assertEquals(9090, ports.get(0).get("targetPort").asInt());
    assertEquals("TCP", ports.get(0).get("protocol").asText());
    assertEquals(8443, ports.get(1).get("targetPort").asInt());
  }

  @Test
  void podConditionsMergeByTypeAndOwnerReferencesByUid() {
    ObjectNode out = apply(load("pod.yaml"), """
        {"metadata":{"ownerReferences":[{"uid":"2222-bbbb","blockOwnerDeletion":true}]},
         "status":{"conditions":[{"type":"Ready","status":"False","reason":"ContainersNotReady"}]}}""", Pod.class);
    JsonNode ready = out.at("/status/conditions/1");
    assertEquals(List.of("Initialized", "Ready", "PodScheduled"), values(out.at("/status/conditions"), "type"));
    assertEquals("False", ready.get("status").asText());
    assertEquals("2024-01-01T00:00:00Z", ready.get("lastTransitionTime").asText());
    JsonNode owners = out.at("/metadata/ownerReferences");
    assertEquals(2, owners.size());
    assertTrue(owners.get(1).get("blockOwnerDeletion").asBoolean());
    assertEquals("holder", owners.get(1).get("name").asText());
  }

  // ---- annotations: client-side apply and rollout restart ----

  @Test
  void lastAppliedAnnotationIsUpdatedAndOthersKept() {
    String last = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"spec\":{\"replicas\":3}}\n";
    ObjectNode patch = (ObjectNode) json("""
        {"metadata":{"annotations":{}},"spec":{"replicas":3}}""");
    ((ObjectNode) patch.at("/metadata/annotations")).put("kubectl.kubernetes.io/last-applied-configuration", last);
    ObjectNode out = StrategicMergePatch.apply(load("deployment.yaml"), patch, Deployment.class);
    assertEquals(last, out.at("/metadata/annotations").get("kubectl.kubernetes.io/last-applied-configuration").asText());
    assertEquals("3", out.at("/metadata/annotations").get("deployment.kubernetes.io/revision").asText());
    assertEquals(3, out.at("/spec/replicas").asInt());
  }

  @Test
  void rolloutRestartCreatesTemplateAnnotations() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-01-01T00:00:00Z"}}}}}""",
        Deployment.class);
    assertEquals("2025-01-01T00:00:00Z",
        out.at("/spec/template/metadata/annotations").get("kubectl.kubernetes.io/restartedAt").asText());
    assertEquals("web", out.at("/spec/template/metadata/labels/app").asText());
  }

  // ---- values new to the object are cleaned; inputs are not changed ----

  @Test
  void newValuesAreStoredWithoutNullsOrDirectives() {
    ObjectNode out = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"D","value":"4","valueFrom":null}]}],
          "affinity":{"nodeAffinity":null,"podAntiAffinity":{"$patch":"delete"}}}}}}""", Deployment.class);
    JsonNode env = podSpec(out).at("/containers/0/env");
    assertEquals(json("{\"name\":\"D\",\"value\":\"4\"}"), env.get(0));
    assertEquals(Json.object(), podSpec(out).get("affinity"));

    ObjectNode added = apply(load("deployment.yaml"), """
        {"spec":{"template":{"spec":{
          "securityContext":{"$retainKeys":["runAsUser"],"runAsUser":1000},
          "containers":[{"name":"new","$setElementOrder/env":[{"name":"X"}],"env":[{"name":"X","value":"1"}]}]}}}}""",
        Deployment.class);
    assertEquals(json("{\"runAsUser\":1000}"), podSpec(added).get("securityContext"));
    assertEquals(json("{\"name\":\"new\",\"env\":[{\"name\":\"X\",\"value\":\"1\"}]}"),
        podSpec(added).at("/containers/0"));
  }

  @Test
  void inputsAreNotModified() {
    ObjectNode d = load("deployment.yaml");
    ObjectNode before = d.deepCopy();
    JsonNode patch = json("""
        {"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"]},
         "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},
          "template":{"spec":{"containers":[{"name":"web","image":"x"},{"name":"new","image":"y"}]}}}}""");
    JsonNode patchBefore = patch.deepCopy();
    StrategicMergePatch.apply(d, patch, Deployment.class);
    assertEquals(before, d);
    assertEquals(patchBefore, patch);
  }

  // ---- unknown model: merge patch plus directives ----

  @Test
  void withoutModelListsAreReplacedAndMapsMerged() {
    ObjectNode obj = (ObjectNode) json("""
        {"spec":{"items":[{"name":"a"},{"name":"b"}],"size":1,"keep":true},"status":{"x":1}}""");
    ObjectNode out = StrategicMergePatch.apply(obj, json("""
        {"spec":{"items":[{"name":"c"}],"size":null},"status":{"$patch":"replace","y":2}}"""), null);
    assertEquals(json("""
        {"spec":{"items":[{"name":"c"}],"keep":true},"status":{"y":2}}"""), out);
  }

  // ---- errors ----

  @Test
  void malformedPatchesAreBadRequests() {
    ObjectNode d = load("deployment.yaml");
    JsonNode cases = read("malformed.json", Json.MAPPER);
    assertTrue(cases.size() > 10);
    for (JsonNode c : cases) {
      String why = c.get("why").asText();
      ApiException e = assertThrows(ApiException.class,
          () -> StrategicMergePatch.apply(d, c.get("patch"), Deployment.class), why);
      assertEquals(400, e.code(), why + " -> " + e.getMessage());
      assertEquals("BadRequest", e.reason(), why);
    }
  }

  @Test
  void listsOfListsAreUnprocessable() {
    ApiException e = rejected(load("deployment.yaml"), """
        {"metadata":{"finalizers":[["example.com/a"]]}}""", Deployment.class);
    assertEquals(422, e.code());
  }

  @Test
  void dollarFieldsDeclaredByTheModelAreData() {
    // JSONSchemaProps declares "$ref" and "$schema": they are fields, not directives.
    ObjectNode crd = (ObjectNode) json("""
        {"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"type":"object"}}}]}}""");
    ObjectNode out = StrategicMergePatch.apply(crd, json("""
        {"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"$schema":"x","type":"object"}}}]}}"""),
        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
    assertEquals("x", out.at("/spec/versions/0/schema/openAPIV3Schema/$schema").asText());
  }

  // ---- helpers ----

  private static ObjectNode apply(ObjectNode original, String patch, Class<?> model) {
    return StrategicMergePatch.apply(original, json(patch), model);
  }

  private static ApiException rejected(ObjectNode original, String patch, Class<?> model) {
    return assertThrows(ApiException.class, () -> apply(original, patch, model));
  }

  private static JsonNode podSpec(ObjectNode deployment) {
    return deployment.at("/spec/template/spec");
  }

  private static List<String> values(JsonNode list, String field) {
    List<String> out = new ArrayList<>();
    list.forEach(item -> out.add(item.get(field).asText()));
    return out;
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode load(String name) {
    return (ObjectNode) read(name, Json.YAML);
  }

  private static JsonNode read(String name, com.fasterxml.jackson.databind.ObjectMapper mapper) {
    try (InputStream in = StrategicMergePatchTest.class.getResourceAsStream("/patch/" + name)) {
      return mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
