package io.capstan.apiserver.registry.fieldmanager;

import static io.capstan.apiserver.registry.fieldmanager.FieldSetTest.json;
import static io.capstan.apiserver.registry.fieldmanager.FieldSetTest.key;
import static io.capstan.apiserver.registry.fieldmanager.FieldSetTest.path;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.MANIFEST;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.T0;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.T1;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.T2;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.T3;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.entry;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.fields;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.managed;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.obj;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class ApplyTest {

  static ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force, java.time.Instant t) {
    return FieldManager.apply(live, config, manager, force, "apps/v1", null, t, Deployment.class);
  }

  static ObjectNode manifest() {
    return obj(MANIFEST);
  }

  static ObjectNode spec(ObjectNode o) {
    return (ObjectNode) o.get("spec");
  }

  static ObjectNode container(ObjectNode o, int i) {
    return (ObjectNode) o.at("/spec/template/spec/containers/" + i);
  }

  @Test
  void applyToAMissingObjectCreatesItOwningExactlyTheConfiguration() {
    ObjectNode created = apply(null, manifest(), "kubectl", false, T0);
    assertEquals(manifest(), Fixtures.withoutManagedFields(created));
    ArrayNode list = (ArrayNode) managed(created);
    assertEquals(1, list.size());
    assertEquals("{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\","
        + "\"time\":\"2025-05-14T09:12:03Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{"
        + "\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},"
        + "\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{"
        + "\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},\"f:ports\":{"
        + "\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}}}}}}}",
        str(list.get(0)));
  }

  @Test
  void reapplyingWithoutAFieldRemovesItAndAnIdenticalReapplyChangesNothing() {
    ObjectNode first = manifest();
    ((ObjectNode) first.at("/metadata/labels")).put("tier", "web");
    ObjectNode live = apply(null, first, "kubectl", false, T0);

    ObjectNode again = apply(live, first.deepCopy(), "kubectl", false, T1);
    assertEquals(str(live), str(again), "same config: same object, same managedFields, same time");

    ObjectNode second = manifest();
    spec(second).remove("replicas");
    ObjectNode out = apply(live, second, "kubectl", false, T2);
    assertNull(out.at("/metadata/labels").get("tier"));
    assertNull(out.get("spec").get("replicas"));
    FieldSet owned = fields(out, "kubectl", "Apply");
    assertFalse(owned.has(path("metadata", "labels", "tier")));
    assertFalse(owned.has(path("spec", "replicas")));
    assertEquals("2025-05-14T09:30:00Z", entry(out, "kubectl", "Apply", null).get("time").asText());
  }

  @Test
  void twoAppliersShareAFieldWithTheSameValue() {
    ObjectNode live = apply(null, manifest(), "kubectl", false, T0);
    ObjectNode replicasOnly = obj("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
        + "\"metadata\":{\"name\":\"nginx\"},\"spec\":{\"replicas\":2}}");
    ObjectNode shared = apply(live, replicasOnly, "hpa-like", false, T1);
    assertTrue(fields(shared, "kubectl", "Apply").has(path("spec", "replicas")));
    assertEquals(FieldSet.of(path("spec", "replicas")), fields(shared, "hpa-like", "Apply"));

    // the first applier stops applying replicas: the other one still does, so the value stays
    ObjectNode without = manifest();
    spec(without).remove("replicas");
    ObjectNode out = apply(shared, without, "kubectl", false, T2);
    assertEquals(2, out.at("/spec/replicas").asInt());
    assertFalse(fields(out, "kubectl", "Apply").has(path("spec", "replicas")));
    assertTrue(fields(out, "hpa-like", "Apply").has(path("spec", "replicas")));
  }

  @Test
  void changingAFieldAnUpdateManagerOwnsIsAConflict() {
    ObjectNode live = RecordUpdateTest.created();
    ObjectNode config = manifest();
    spec(config).put("replicas", 3);
    ApiException e = assertThrows(ApiException.class, () -> apply(live, config, "deployer", false, T1));
    assertEquals(409, e.code());
    assertEquals("Conflict", e.reason());
    assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: "
        + ".spec.replicas", e.getMessage());
    assertEquals(1, e.details().causes().size());
    ApiException.Cause c = e.details().causes().get(0);
    assertEquals("FieldManagerConflict", c.reason());
    assertEquals("conflict with \"kubectl-client-side-apply\" using apps/v1", c.message());
    assertEquals(".spec.replicas", c.field());

    container(config, 0).put("image", "nginx:1.29");
    ApiException two = assertThrows(ApiException.class, () -> apply(live, config, "deployer", false, T1));
    assertEquals("Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n"
        + "- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image", two.getMessage());
    assertEquals(".spec.template.spec.containers[name=\"nginx\"].image", two.details().causes().get(1).field());
  }

  @Test
  void forceTakesOwnershipOfTheConflictingFields() {
    ObjectNode live = RecordUpdateTest.created();
    ObjectNode config = manifest();
    spec(config).put("replicas", 3);
    ObjectNode out = apply(live, config, "deployer", true, T1);
    assertEquals(3, out.at("/spec/replicas").asInt());
    assertFalse(fields(out, "kubectl-client-side-apply", "Update").has(path("spec", "replicas")));
    assertTrue(fields(out, "kubectl-client-side-apply", "Update").has(path("spec", "template", "spec", "dnsPolicy")));
    assertTrue(fields(out, "deployer", "Apply").has(path("spec", "replicas")));
    // the fields both set to the same value stay shared
    assertTrue(fields(out, "kubectl-client-side-apply", "Update").has(path("metadata", "labels", "app")));
    assertTrue(fields(out, "deployer", "Apply").has(path("metadata", "labels", "app")));
  }

  @Test
  void anotherApplierIsNamedWithoutVersionAndObjectsWithoutManagedFieldsHaveAnOwner() {
    ObjectNode live = apply(null, manifest(), "team-a", false, T0);
    ObjectNode config = manifest();
    spec(config).put("replicas", 4);
    ApiException e = assertThrows(ApiException.class, () -> apply(live, config, "team-b", false, T1));
    assertEquals("Apply failed with 1 conflict: conflict with \"team-a\": .spec.replicas", e.getMessage());

    ObjectNode untracked = Fixtures.withoutManagedFields(live);
    ApiException u = assertThrows(ApiException.class, () -> apply(untracked, config, "team-b", false, T1));
    assertEquals("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas",
        u.getMessage());
  }

  @Test
  void containersOfAMapListBelongToTheManagersThatApplyThem() {
    ObjectNode live = apply(null, manifest(), "app-team", false, T0);
    ObjectNode sidecar = obj("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"nginx\"},"
        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"envoy\",\"image\":\"envoy:1.30\"}]}}}}");
    ObjectNode both = apply(live, sidecar, "mesh-injector", false, T1);
    assertEquals("nginx", container(both, 0).get("name").asText());
    assertEquals("envoy", container(both, 1).get("name").asText());
    assertTrue(fields(both, "app-team", "Apply").has(path("spec", "template", "spec", "containers", key("name", "nginx"))));
    assertFalse(fields(both, "app-team", "Apply").has(path("spec", "template", "spec", "containers", key("name", "envoy"))));
    assertEquals(FieldSet.of(path("spec", "template", "spec", "containers", key("name", "envoy")),
        path("spec", "template", "spec", "containers", key("name", "envoy"), "name"),
        path("spec", "template", "spec", "containers", key("name", "envoy"), "image")),
        fields(both, "mesh-injector", "Apply"));

    // the app team changes its container: no conflict, the sidecar stays
    ObjectNode bump = manifest();
    container(bump, 0).put("image", "nginx:1.29");
    ObjectNode bumped = apply(both, bump, "app-team", false, T2);
    assertEquals("nginx:1.29", container(bumped, 0).get("image").asText());
    assertEquals("envoy:1.30", container(bumped, 1).get("image").asText());

    // touching the other manager's container conflicts with it
    ObjectNode steal = manifest();
    ((ArrayNode) steal.at("/spec/template/spec/containers")).addObject().put("name", "envoy").put("image", "envoy:2");
    ApiException e = assertThrows(ApiException.class, () -> apply(bumped, steal, "app-team", false, T3));
    assertEquals("Apply failed with 1 conflict: conflict with \"mesh-injector\": "
        + ".spec.template.spec.containers[name=\"envoy\"].image", e.getMessage());

    // the injector stops applying its container: it goes, the app's stays
    ObjectNode none = obj("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"nginx\"}}");
    ObjectNode removed = apply(bumped, none, "mesh-injector", false, T3);
    assertEquals(1, removed.at("/spec/template/spec/containers").size());
    assertEquals("nginx", container(removed, 0).get("name").asText());
    assertNull(entry(removed, "mesh-injector", "Apply", null));
  }

  @Test
  void setListsMergeAsSets() {
    ObjectNode a = obj("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
        + "\"finalizers\":[\"a.example.com/x\"]}}");
    ObjectNode b = obj("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
        + "\"finalizers\":[\"b.example.com/y\",\"a.example.com/x\"]}}");
    ObjectNode live = FieldManager.apply(null, a, "a", false, "v1", null, T0, ConfigMap.class);
    ObjectNode both = FieldManager.apply(live, b, "b", false, "v1", null, T1, ConfigMap.class);
    assertEquals(json("[\"b.example.com/y\",\"a.example.com/x\"]"), both.at("/metadata/finalizers"));
    assertEquals("{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"a.example.com/x\\\"\":{},\"v:\\\"b.example.com/y\\\"\":{}}}}",
        entry(both, "b", "Apply", null).get("fieldsV1").toString());
    ObjectNode onlyB = FieldManager.apply(both, obj("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"c\",\"finalizers\":[\"b.example.com/y\"]}}"), "b", false, "v1", null, T2,
        ConfigMap.class);
    assertEquals(json("[\"b.example.com/y\",\"a.example.com/x\"]"), onlyB.at("/metadata/finalizers"),
        "a.example.com/x is still applied by a");
  }

  @Test
  void invalidConfigurationsAreBadRequests() {
    ObjectNode live = apply(null, manifest(), "kubectl", false, T0);
    ObjectNode withManaged = manifest();
    ((ObjectNode) withManaged.get("metadata")).set("managedFields", json("[]"));
    ApiException m = assertThrows(ApiException.class, () -> apply(live, withManaged, "kubectl", false, T1));
    assertEquals(400, m.code());
    assertEquals("metadata.managedFields must be nil", m.getMessage());

    ObjectNode wrongVersion = manifest().put("apiVersion", "apps/v1beta2");
    assertEquals("Incorrect version specified in apply patch. Specified patch version: apps/v1beta2, expected: apps/v1",
        assertThrows(ApiException.class, () -> apply(live, wrongVersion, "kubectl", false, T1)).getMessage());

    ObjectNode dup = manifest();
    ((ObjectNode) dup.get("metadata")).put("namespace", "default");
    ((ArrayNode) dup.at("/spec/template/spec/containers")).addObject().put("name", "nginx").put("image", "x");
    ApiException d = assertThrows(ApiException.class, () -> apply(live, dup, "kubectl", false, T1));
    assertEquals(400, d.code());
    assertEquals("failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): "
        + ".spec.template.spec.containers: duplicate entries for key [name=\"nginx\"]", d.getMessage());
  }

  @Test
  void customResourcesWithoutAModelAreDeduced() {
    String v1 = "stable.example.com/v1";
    ObjectNode cr = obj("{\"apiVersion\":\"stable.example.com/v1\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"c\","
        + "\"namespace\":\"default\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"cronSpec\":\"*/5 * * * *\",\"ports\":[1,2]}}");
    FieldManager.recordUpdate(null, cr, "kubectl-create", v1, null, T0, null);
    assertEquals("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}},"
        + "\"f:spec\":{\".\":{},\"f:cronSpec\":{},\"f:ports\":{}}}",
        entry(cr, "kubectl-create", "Update", null).get("fieldsV1").toString());

    ObjectNode config = obj("{\"apiVersion\":\"stable.example.com/v1\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"c\"},"
        + "\"spec\":{\"ports\":[1,2,3]}}");
    ApiException e = assertThrows(ApiException.class,
        () -> FieldManager.apply(cr, config, "scaler", false, v1, null, T1, null));
    assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-create\" using stable.example.com/v1: "
        + ".spec.ports", e.getMessage(), "lists of unknown schema are atomic");
    ObjectNode out = FieldManager.apply(cr, config, "scaler", true, v1, null, T1, null);
    assertEquals(json("[1,2,3]"), out.at("/spec/ports"));
    assertEquals("*/5 * * * *", out.at("/spec/cronSpec").asText());
    assertEquals("{\"f:spec\":{\".\":{},\"f:ports\":{}}}",
        entry(out, "scaler", "Apply", null).get("fieldsV1").toString(), "a deduced map's keys own themselves");
  }

  @Test
  void statusIsNotOwnedThroughTheMainResource() {
    ObjectNode config = manifest();
    config.putObject("status").put("replicas", 7);
    ObjectNode out = apply(null, config, "kubectl", false, T0);
    assertFalse(fields(out, "kubectl", "Apply").has(path("status", "replicas")));
    JsonNode e = entry(out, "kubectl", "Apply", null);
    assertFalse(e.get("fieldsV1").has("f:status"));
  }
}
