package io.capstan.apiserver.registry.fieldmanager;

import static io.capstan.apiserver.registry.fieldmanager.FieldSetTest.KUBECTL_DEPLOYMENT_MANAGED_FIELDS;
import static io.capstan.apiserver.registry.fieldmanager.FieldSetTest.json;
import static io.capstan.apiserver.registry.fieldmanager.FieldSetTest.path;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.STORED;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.T0;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.T1;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.T2;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.entry;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.fields;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.managed;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.obj;
import static io.capstan.apiserver.registry.fieldmanager.Fixtures.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class RecordUpdateTest {
  private static final String CSA = "kubectl-client-side-apply";

  static ObjectNode created() {
    ObjectNode o = obj(STORED);
    FieldManager.recordUpdate(null, o, CSA, "apps/v1", null, T0, Deployment.class);
    return o;
  }

  @Test
  void createOwnsEverySetFieldExactlyAsKubeApiserverRecordsIt() {
    ObjectNode o = created();
    ArrayNode list = (ArrayNode) managed(o);
    assertEquals(1, list.size());
    // the entry kube-apiserver v1.32 wrote for the same object, time at second precision
    assertEquals(str(json(KUBECTL_DEPLOYMENT_MANAGED_FIELDS).get(0)), str(list.get(0)));
  }

  @Test
  void createLeavesOutSystemFieldsAndStatus() {
    FieldSet f = fields(created(), CSA, "Update");
    for (String meta : new String[] {"name", "namespace", "uid", "resourceVersion", "generation",
        "creationTimestamp", "managedFields"}) {
      assertFalse(f.has(path("metadata", meta)), meta);
    }
    assertFalse(f.has(path("apiVersion")));
    assertFalse(f.has(path("kind")));
    assertFalse(f.child(PathElement.field("status")).size() > 0 || f.has(path("status")));
  }

  @Test
  void updateMovesOwnershipOfChangedFieldsOnly() {
    ObjectNode old = created();
    ObjectNode upd = old.deepCopy();
    ((ObjectNode) upd.get("spec")).put("replicas", 5);
    FieldManager.recordUpdate(old, upd, "kubectl-edit", "apps/v1", null, T1, Deployment.class);

    assertFalse(fields(upd, CSA, "Update").has(path("spec", "replicas")));
    assertTrue(fields(upd, CSA, "Update").has(path("spec", "revisionHistoryLimit")));
    assertEquals(FieldSet.of(path("spec", "replicas")), fields(upd, "kubectl-edit", "Update"));
    assertEquals("2025-05-14T09:20:00Z", entry(upd, "kubectl-edit", "Update", null).get("time").asText());
    assertEquals("2025-05-14T09:12:03Z", entry(upd, CSA, "Update", null).get("time").asText(),
        "a manager that lost fields keeps its time");
    // entries are listed oldest first
    assertEquals(CSA, managed(upd).get(0).get("manager").asText());

    // the same manager changing it again: one entry, time updated
    ObjectNode again = upd.deepCopy();
    ((ObjectNode) again.get("spec")).put("replicas", 6);
    FieldManager.recordUpdate(upd, again, "kubectl-edit", "apps/v1", null, T2, Deployment.class);
    assertEquals(2, managed(again).size());
    assertEquals("2025-05-14T09:30:00Z", entry(again, "kubectl-edit", "Update", null).get("time").asText());
  }

  @Test
  void anUpdateThatChangesNothingLeavesManagedFieldsAlone() {
    ObjectNode old = created();
    ObjectNode same = old.deepCopy();
    ((ObjectNode) same.get("metadata")).put("resourceVersion", "2000");
    FieldManager.recordUpdate(old, same, "kubectl-replace", "apps/v1", null, T1, Deployment.class);
    assertEquals(str(managed(old)), str(managed(same)));
  }

  @Test
  void removedFieldsLeaveEveryManagerAndEmptyEntriesDisappear() {
    ObjectNode cm = obj("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
        + "\"data\":{\"a\":\"1\"}}");
    FieldManager.recordUpdate(null, cm, "creator", "v1", null, T0, ConfigMap.class);
    // a map absent from the zero object is owned itself ("."), as upstream records ConfigMap data
    assertEquals("{\"f:data\":{\".\":{},\"f:a\":{}}}", managed(cm).get(0).get("fieldsV1").toString());

    ObjectNode upd = cm.deepCopy();
    ObjectNode data = (ObjectNode) upd.get("data");
    data.remove("a");
    data.put("b", "2");
    FieldManager.recordUpdate(cm, upd, "editor", "v1", null, T1, ConfigMap.class);
    assertEquals("{\"f:data\":{}}", entry(upd, "creator", "Update", null).get("fieldsV1").toString());
    assertEquals("{\"f:data\":{\"f:b\":{}}}", entry(upd, "editor", "Update", null).get("fieldsV1").toString());

    ObjectNode emptied = upd.deepCopy();
    emptied.remove("data");
    FieldManager.recordUpdate(upd, emptied, "cleaner", "v1", null, T2, ConfigMap.class);
    assertTrue(managed(emptied).isMissingNode(), "every entry lost everything; nobody owns a removal");
  }

  @Test
  void statusSubresourceWritesOwnStatusOnly() {
    ObjectNode old = created();
    ObjectNode upd = old.deepCopy();
    upd.putObject("status").put("replicas", 2).put("observedGeneration", 1);
    ((ObjectNode) upd.get("spec")).put("replicas", 9); // ignored: a status write does not own spec
    FieldManager.recordUpdate(old, upd, "kube-controller-manager", "apps/v1", "status", T1, Deployment.class);
    var e = entry(upd, "kube-controller-manager", "Update", "status");
    assertEquals("{\"f:status\":{\"f:observedGeneration\":{},\"f:replicas\":{}}}", e.get("fieldsV1").toString());
    assertEquals("status", e.get("subresource").asText());
    assertTrue(fields(upd, CSA, "Update").has(path("spec", "replicas")));

    // and a main-resource write never owns status
    ObjectNode main = upd.deepCopy();
    ((ObjectNode) main.get("status")).put("replicas", 3);
    FieldManager.recordUpdate(upd, main, "someone", "apps/v1", null, T2, Deployment.class);
    assertNull(entry(main, "someone", "Update", null));
  }

  @Test
  void clientSentManagedFieldsAreKeptAndNothingIsAddedWhenNothingElseChanges() {
    ObjectNode old = created();
    ObjectNode patched = old.deepCopy();
    ArrayNode sent = (ArrayNode) json("[{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\","
        + "\"time\":\"2025-05-14T09:15:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{}}}}]");
    ((ObjectNode) patched.get("metadata")).set("managedFields", sent.deepCopy());
    FieldManager.recordUpdate(old, patched, "kubectl", "apps/v1", null, T1, Deployment.class);
    assertEquals(str(sent), str(managed(patched)));
  }

  @Test
  void resetWithOneEmptyEntryAndEmptyListMeansUnchanged() {
    ObjectNode old = created();
    ObjectNode reset = old.deepCopy();
    ((ObjectNode) reset.get("metadata")).set("managedFields", json("[{}]"));
    FieldManager.recordUpdate(old, reset, "kubectl-edit", "apps/v1", null, T1, Deployment.class);
    assertTrue(reset.path("metadata").path("managedFields").isMissingNode(), "reset to none");

    ObjectNode empty = old.deepCopy();
    ((ObjectNode) empty.get("metadata")).set("managedFields", json("[]"));
    FieldManager.recordUpdate(old, empty, "kubectl-edit", "apps/v1", null, T1, Deployment.class);
    assertEquals(str(managed(old)), str(managed(empty)));

    ObjectNode absent = Fixtures.withoutManagedFields(old);
    ((ObjectNode) absent.get("metadata")).putObject("labels").put("app", "nginx").put("tier", "web");
    FieldManager.recordUpdate(old, absent, "kubectl-label", "apps/v1", null, T1, Deployment.class);
    assertEquals(2, managed(absent).size());
    assertEquals("{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}}}",
        entry(absent, "kubectl-label", "Update", null).get("fieldsV1").toString());
  }

  @Test
  void moreThanTenUpdateManagersAreMergedIntoAncientChanges() {
    ObjectNode cur = obj("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{}}");
    for (int i = 0; i < 12; i++) {
      ObjectNode next = cur.deepCopy();
      ((ObjectNode) next.get("data")).put("k" + i, "v");
      FieldManager.recordUpdate(cur, next, "m" + i, "v1", null, T0.plusSeconds(i), ConfigMap.class);
      cur = next;
    }
    assertEquals(10, managed(cur).size());
    var ancient = entry(cur, "ancient-changes", "Update", null);
    assertEquals("{\"f:data\":{\"f:k0\":{},\"f:k1\":{},\"f:k2\":{}}}", ancient.get("fieldsV1").toString());
    assertNull(entry(cur, "m0", "Update", null));
    assertTrue(entry(cur, "m3", "Update", null) != null);
  }
}
