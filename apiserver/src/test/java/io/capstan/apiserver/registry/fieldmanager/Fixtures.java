package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Test objects: an nginx Deployment as a manifest, as stored after defaulting, and helpers. */
final class Fixtures {
  private static final ObjectMapper M = new ObjectMapper();

  static final Instant T0 = Instant.parse("2025-05-14T09:12:03.421Z");
  static final Instant T1 = Instant.parse("2025-05-14T09:20:00Z");
  static final Instant T2 = Instant.parse("2025-05-14T09:30:00Z");
  static final Instant T3 = Instant.parse("2025-05-14T09:40:00Z");

  /** The manifest a user applies. */
  static final String MANIFEST = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx"}},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
        "template":{"metadata":{"labels":{"app":"nginx"}},
         "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}}""";

  /** What kube-apiserver stores for that manifest created by client-side apply (defaults filled). */
  static final String STORED = """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"nginx","namespace":"default","uid":"5c1f6f7e-3f0e-4a8e-9d7e-2b7f0c1d2e3f",
        "resourceVersion":"1042","generation":1,"creationTimestamp":"2025-05-14T09:12:03Z",
        "labels":{"app":"nginx"},
        "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\\n"}},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
        "template":{"metadata":{"labels":{"app":"nginx"}},
         "spec":{"containers":[{"name":"nginx","image":"nginx:1.27",
           "ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{},
           "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
           "imagePullPolicy":"IfNotPresent"}],
          "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
          "securityContext":{},"schedulerName":"default-scheduler"}},
        "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
        "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
       "status":{}}""";

  private Fixtures() {}

  static ObjectNode obj(String json) {
    try {
      return (ObjectNode) M.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode managed(JsonNode obj) {
    return obj.path("metadata").path("managedFields");
  }

  /** The entry of this manager and operation (and subresource, null for the main resource). */
  static JsonNode entry(JsonNode obj, String manager, String operation, String subresource) {
    for (JsonNode e : managed(obj)) {
      if (e.path("manager").asText().equals(manager) && e.path("operation").asText().equals(operation)
          && e.path("subresource").asText("").equals(subresource == null ? "" : subresource)) {
        return e;
      }
    }
    return null;
  }

  static FieldSet fields(JsonNode obj, String manager, String operation) {
    JsonNode e = entry(obj, manager, operation, null);
    return e == null ? new FieldSet() : FieldSet.fromFieldsV1(e.get("fieldsV1"));
  }

  static String str(JsonNode n) {
    try {
      return M.writeValueAsString(n);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ObjectNode withoutManagedFields(ObjectNode o) {
    ObjectNode c = o.deepCopy();
    ((ObjectNode) c.get("metadata")).remove("managedFields");
    return c;
  }
}
