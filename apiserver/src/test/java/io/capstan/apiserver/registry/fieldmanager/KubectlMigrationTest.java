package io.capstan.apiserver.registry.fieldmanager;

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
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.withoutManagedFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.registry.strategy.Strategy;
import io.capstan.apiserver.registry.strategy.WorkloadStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply} (client-side), then {@code kubectl apply --server-side}: kubectl applies,
 * sees the client-side manager still owning the last-applied annotation, rewrites managedFields
 * with a JSON patch, and applies again. The server must end in a fixed point.
 */
class KubectlMigrationTest {
  private static final String CSA = "kubectl-client-side-apply";
  private static final String KCM = "kube-controller-manager";
  private final Strategy deployments = new WorkloadStrategy("Deployment");

  /** The object as the registry stores it after a write: apply's output, defaulted again. */
  private ObjectNode store(ObjectNode obj, String rv) {
    deployments.applyDefaults(obj);
    ((ObjectNode) obj.get("metadata")).put("resourceVersion", rv);
    return obj;
  }

  private ObjectNode csaCreated() {
    ObjectNode o = obj(MANIFEST);
    ObjectNode meta = (ObjectNode) o.get("metadata");
    meta.put("namespace", "default").put("uid", "5c1f6f7e-3f0e-4a8e-9d7e-2b7f0c1d2e3f").put("generation", 1)
        .put("creationTimestamp", "2025-05-14T09:12:03Z");
    ObjectNode lastApplied = obj(MANIFEST);
    ((ObjectNode) lastApplied.get("metadata")).put("namespace", "default").putObject("annotations");
    meta.putObject("annotations").put(LastApplied.ANNOTATION, LastApplied.build(lastApplied));
    store(o, "100");
    FieldManager.recordUpdate(null, o, CSA, "apps/v1", null, T0, Deployment.class);
    // the deployment controller then records its revision annotation and the status
    ObjectNode revised = o.deepCopy();
    ((ObjectNode) revised.at("/metadata/annotations")).put("deployment.kubernetes.io/revision", "1");
    FieldManager.recordUpdate(o, revised, KCM, "apps/v1", null, T0.plusSeconds(2), Deployment.class);
    ObjectNode status = revised.deepCopy();
    status.putObject("status").put("observedGeneration", 1).put("replicas", 2);
    FieldManager.recordUpdate(revised, status, KCM, "apps/v1", "status", T0.plusSeconds(2), Deployment.class);
    return store(status, "101");
  }

  /** What kubectl (client-go csaupgrade) sends: the CSA entry merged into kubectl's Apply entry. */
  private static ArrayNode migrated(JsonNode managedFields) {
    ArrayNode out = ((ArrayNode) managedFields).deepCopy();
    ObjectNode ssa = null;
    ObjectNode csa = null;
    for (JsonNode e : out) {
      if (e.path("subresource").isMissingNode() && e.get("manager").asText().equals("kubectl")
          && e.get("operation").asText().equals("Apply") && ssa == null) {
        ssa = (ObjectNode) e;
      }
      if (e.path("subresource").isMissingNode() && e.get("manager").asText().equals(CSA)
          && e.get("operation").asText().equals("Update") && csa == null) {
        csa = (ObjectNode) e;
      }
    }
    FieldSet union = FieldSet.fromFieldsV1(ssa.get("fieldsV1")).union(FieldSet.fromFieldsV1(csa.get("fieldsV1")))
        .difference(FieldSet.of(path("metadata", "annotations", LastApplied.ANNOTATION)));
    ssa.set("fieldsV1", union.toFieldsV1());
    for (int i = out.size() - 1; i >= 0; i--) {
      JsonNode e = out.get(i);
      if (e.get("manager").asText().equals(CSA) && e.get("operation").asText().equals("Update")) {
        out.remove(i);
      }
    }
    return out;
  }

  /** The object without what every write changes: managedFields and resourceVersion. */
  private static ObjectNode content(ObjectNode o) {
    ObjectNode c = withoutManagedFields(o);
    ((ObjectNode) c.get("metadata")).remove("resourceVersion");
    return c;
  }

  /** kubectl migrates while an Update manager named kubectl-client-side-apply owns the annotation. */
  private static boolean kubectlWouldMigrate(JsonNode obj) {
    JsonNode e = entry(obj, CSA, "Update", null);
    return e != null && FieldSet.fromFieldsV1(e.get("fieldsV1"))
        .has(path("metadata", "annotations", LastApplied.ANNOTATION));
  }

  private ObjectNode ssa(ObjectNode live, Instant t, String rv) {
    ObjectNode out = FieldManager.apply(live, obj(MANIFEST), "kubectl", false, "apps/v1", null, t, Deployment.class);
    deployments.prepareForUpdate(out, live);
    return store(out, rv);
  }

  @Test
  void clientSideToServerSideApplyConverges() {
    ObjectNode stored = csaCreated();

    // 1. apply --server-side: same values as the client-side apply, so no conflict; fields are shared
    ObjectNode applied = ssa(stored, T1, "102");
    assertTrue(fields(applied, "kubectl", "Apply").has(path("spec", "replicas")));
    assertTrue(fields(applied, CSA, "Update").has(path("spec", "replicas")));
    assertEquals(LastApplied.build(obj(MANIFEST)), applied.at("/metadata/annotations").get(LastApplied.ANNOTATION)
        .asText(), "kubectl's server-side apply keeps the annotation in sync");
    assertTrue(kubectlWouldMigrate(applied));

    // 2. the JSON patch replacing managedFields (and resourceVersion as a precondition)
    ArrayNode sent = migrated(managed(applied));
    ObjectNode patched = applied.deepCopy();
    ((ObjectNode) patched.get("metadata")).set("managedFields", sent.deepCopy());
    FieldManager.recordUpdate(applied, patched, "kubectl", "apps/v1", null, T2, Deployment.class);
    assertEquals(str(sent), str(managed(patched)), "the client's list is kept as sent, nothing added");
    assertNull(entry(patched, "kubectl", "Update", null));
    ObjectNode migratedObj = store(patched, "103");
    assertFalse(kubectlWouldMigrate(migratedObj));

    // 3. apply again: the object does not change
    ObjectNode second = ssa(migratedObj, T3, "104");
    assertEquals(content(migratedObj), content(second));
    assertNull(entry(second, CSA, "Update", null));
    assertFalse(kubectlWouldMigrate(second));
    assertNotNull(entry(second, KCM, "Update", null), "other managers are untouched");
    assertEquals(str(entry(migratedObj, KCM, "Update", "status")), str(entry(second, KCM, "Update", "status")));

    // 4. and from now on applying is a no-op, managedFields included
    ObjectNode third = ssa(second, T3.plusSeconds(3600), "104");
    assertEquals(str(second), str(third));
  }

  @Test
  void serverSideApplyTakesOverFieldsTheLastAppliedConfigurationSetWithoutConflict() {
    ObjectNode stored = csaCreated();
    ObjectNode changed = obj(MANIFEST);
    ((ObjectNode) changed.get("spec")).put("replicas", 3);
    // kubectl may take replicas from kubectl-client-side-apply: the annotation says 2 and live is 2
    ObjectNode out = FieldManager.apply(stored, changed, "kubectl", false, "apps/v1", null, T1, Deployment.class);
    assertEquals(3, out.at("/spec/replicas").asInt());
    assertFalse(fields(out, CSA, "Update").has(path("spec", "replicas")));
    // any other manager name gets the conflict
    assertThrows(ApiException.class,
        () -> FieldManager.apply(stored, changed, "helm", false, "apps/v1", null, T1, Deployment.class));

    // once someone else changed replicas, the annotation no longer vouches for it
    ObjectNode scaled = stored.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    FieldManager.recordUpdate(stored, scaled, "kubectl-scale", "apps/v1", null, T1, Deployment.class);
    ApiException e = assertThrows(ApiException.class,
        () -> FieldManager.apply(scaled, changed, "kubectl", false, "apps/v1", null, T2, Deployment.class));
    assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas",
        e.getMessage());
    assertEquals(List.of(".spec.replicas"), e.details().causes().stream().map(ApiException.Cause::field).toList());
  }
}
