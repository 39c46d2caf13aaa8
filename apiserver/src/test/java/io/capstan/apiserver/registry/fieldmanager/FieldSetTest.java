package io.capstan.apiserver.registry.fieldmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSetTest {
  private static final ObjectMapper M = new ObjectMapper();

  /** managedFields of an nginx Deployment made by `kubectl apply` (client-side) and rolled out, v1.32. */
  static final String KUBECTL_DEPLOYMENT_MANAGED_FIELDS = """
      [{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1","time":"2025-05-14T09:12:03Z",\
      "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{".":{},\
      "f:kubectl.kubernetes.io/last-applied-configuration":{}},"f:labels":{".":{},"f:app":{}}},\
      "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},\
      "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},\
      "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{\
      "k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},\
      "f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},\
      "f:protocol":{}}},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},\
      "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},\
      "f:terminationGracePeriodSeconds":{}}}}}},\
      {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","time":"2025-05-14T09:12:05Z",\
      "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{"f:deployment.kubernetes.io/revision":{}}}}},\
      {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","time":"2025-05-14T09:12:05Z",\
      "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:availableReplicas":{},"f:conditions":{".":{},\
      "k:{\\"type\\":\\"Available\\"}":{".":{},"f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},\
      "f:reason":{},"f:status":{},"f:type":{}},"k:{\\"type\\":\\"Progressing\\"}":{".":{},\
      "f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}}},\
      "f:observedGeneration":{},"f:readyReplicas":{},"f:replicas":{},"f:updatedReplicas":{}}},\
      "subresource":"status"}]""";

  static JsonNode json(String s) {
    try {
      return M.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static List<PathElement> path(Object... parts) {
    return java.util.Arrays.stream(parts)
        .map(p -> p instanceof PathElement pe ? pe : PathElement.field((String) p)).toList();
  }

  static PathElement key(String name, Object value) {
    Map<String, JsonNode> k = new LinkedHashMap<>();
    k.put(name, value instanceof Integer i ? IntNode.valueOf(i) : TextNode.valueOf((String) value));
    return PathElement.key(k);
  }

  @Test
  void fieldsV1OfARealDeploymentRoundTripsByteForByte() throws Exception {
    JsonNode entries = json(KUBECTL_DEPLOYMENT_MANAGED_FIELDS);
    for (JsonNode entry : entries) {
      JsonNode fields = entry.get("fieldsV1");
      FieldSet set = FieldSet.fromFieldsV1(fields);
      assertEquals(M.writeValueAsString(fields), M.writeValueAsString(set.toFieldsV1()));
    }
    // and the whole list through the managedFields codec, entries re-sorted exactly as upstream lists them
    String encoded = M.writeValueAsString(ManagedFields.encode(ManagedFields.decode(entries)));
    assertEquals(M.writeValueAsString(entries), encoded);
  }

  @Test
  void parsedPathsKnowMembersAndNamedParents() {
    FieldSet set = FieldSet.fromFieldsV1(json(KUBECTL_DEPLOYMENT_MANAGED_FIELDS).get(0).get("fieldsV1"));
    assertTrue(set.has(path("spec", "replicas")));
    assertTrue(set.has(path("metadata", "labels")));
    assertFalse(set.has(path("spec")), "struct parents are not members unless '.' says so");
    assertTrue(set.has(path("spec", "template", "spec", "containers", key("name", "nginx"))));
    Map<String, JsonNode> port = new LinkedHashMap<>();
    port.put("protocol", TextNode.valueOf("TCP"));
    port.put("containerPort", IntNode.valueOf(80));
    List<PathElement> portPath = path("spec", "template", "spec", "containers", key("name", "nginx"), "ports",
        PathElement.key(port), "protocol");
    assertTrue(set.has(portPath));
    assertEquals(".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"].protocol",
        PathElement.format(portPath));
    assertEquals(30, set.size());
  }

  @Test
  void setOperations() {
    FieldSet a = FieldSet.of(path("spec", "replicas"), path("spec", "template"), path("spec", "template", "x"),
        path("metadata", "labels", "app"));
    FieldSet b = FieldSet.of(path("spec", "replicas"), path("spec", "template"), path("data", "k"));

    assertEquals(FieldSet.of(path("spec", "replicas"), path("spec", "template"), path("spec", "template", "x"),
        path("metadata", "labels", "app"), path("data", "k")), a.union(b));
    assertEquals(FieldSet.of(path("spec", "replicas"), path("spec", "template")), a.intersection(b));
    assertEquals(FieldSet.of(path("spec", "template", "x"), path("metadata", "labels", "app")), a.difference(b));
    assertEquals(FieldSet.of(path("metadata", "labels", "app")), a.recursiveDifference(b),
        "recursive difference also drops what is below a removed member");
    assertTrue(a.difference(a).isEmpty());
    assertEquals(new FieldSet(), a.intersection(new FieldSet()));
    // operands are left alone
    assertEquals(4, a.size());
  }

  @Test
  void setListValuesAndIndexesEncode() {
    FieldSet s = FieldSet.of(path("metadata", "finalizers", PathElement.value(TextNode.valueOf("example.com/x"))),
        path("spec", "args", PathElement.index(2)));
    String text = s.toFieldsV1().toString();
    assertEquals("{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"example.com/x\\\"\":{}}},\"f:spec\":{\"f:args\":{\"i:2\":{}}}}",
        text);
    assertEquals(s, FieldSet.fromFieldsV1(json(text)));
    assertEquals(".metadata.finalizers[=\"example.com/x\"]", PathElement.format(s.paths().get(0)));
  }

  @Test
  void invalidFieldsV1IsRejected() {
    assertThrows(IllegalArgumentException.class, () -> FieldSet.fromFieldsV1(json("{\"x:a\":{}}")));
    assertThrows(IllegalArgumentException.class, () -> FieldSet.fromFieldsV1(json("{\"k:{not json\":{}}")));
    assertThrows(IllegalArgumentException.class, () -> FieldSet.fromFieldsV1(json("{\"f:a\":1}")));
    assertThrows(IllegalArgumentException.class, () -> FieldSet.fromFieldsV1(json("[]")));
  }
}
