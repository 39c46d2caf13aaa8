package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Container defaults of core/v1: pull policy from the image tag, termination message, port
 * protocol, probe timings, HTTP handler path and scheme, downward-API field version.
 */
final class ContainerDefaults {
  static final List<String> PROBES = List.of("livenessProbe", "readinessProbe", "startupProbe");

  private ContainerDefaults() {}

  static void apply(ObjectNode c) {
    if (!Checks.present(c.get("imagePullPolicy")) || c.path("imagePullPolicy").asText().isEmpty()) {
      c.put("imagePullPolicy", pullPolicy(c.path("image").asText("")));
    }
    putIfUnset(c, "terminationMessagePath", "/dev/termination-log");
    putIfUnset(c, "terminationMessagePolicy", "File");
    ObjectNode resources = Checks.object(c, "resources");
    quantitiesAsText(resources.get("limits"));
    quantitiesAsText(resources.get("requests"));
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfUnset(port, "protocol", "TCP");
      }
    }
    for (String probe : PROBES) {
      if (c.get(probe) instanceof ObjectNode p) {
        probe(p);
      }
    }
    if (c.get("lifecycle") instanceof ObjectNode lifecycle) {
      for (String hook : List.of("postStart", "preStop")) {
        if (lifecycle.get(hook) instanceof ObjectNode h) {
          handler(h);
        }
      }
    }
    for (JsonNode env : c.path("env")) {
      if (env.path("valueFrom").get("fieldRef") instanceof ObjectNode ref) {
        putIfUnset(ref, "apiVersion", "v1");
      }
    }
  }

  /** Pods only (not templates): limits stand in for missing requests, as SetDefaults_Pod does. */
  static void requestsFromLimits(ObjectNode c) {
    if (!(c.path("resources").get("limits") instanceof ObjectNode limits) || limits.isEmpty()) {
      return;
    }
    ObjectNode requests = Checks.object((ObjectNode) c.get("resources"), "requests");
    limits.fields().forEachRemaining(e -> {
      if (!requests.has(e.getKey())) {
        requests.set(e.getKey(), e.getValue().deepCopy());
      }
    });
  }

  /** Always for ":latest" or no tag and no digest, IfNotPresent otherwise. */
  static String pullPolicy(String image) {
    if (image.isBlank()) {
      return "IfNotPresent";
    }
    String ref = image;
    boolean digest = false;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
      digest = true;
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    String tag = colon > slash ? ref.substring(colon + 1) : "";
    if (tag.equals("latest") || (tag.isEmpty() && !digest)) {
      return "Always";
    }
    return "IfNotPresent";
  }

  private static void probe(ObjectNode p) {
    defaultPositive(p, "timeoutSeconds", 1);
    defaultPositive(p, "periodSeconds", 10);
    defaultPositive(p, "successThreshold", 1);
    defaultPositive(p, "failureThreshold", 3);
    handler(p);
  }

  private static void handler(ObjectNode h) {
    if (h.get("httpGet") instanceof ObjectNode http) {
      putIfUnset(http, "path", "/");
      putIfUnset(http, "scheme", "HTTP");
    }
  }

  /** Quantities given as JSON numbers are kept as strings, the wire form of resource.Quantity. */
  static void quantitiesAsText(JsonNode list) {
    if (list instanceof ObjectNode obj) {
      Checks.keys(obj).forEach(k -> {
        JsonNode v = obj.get(k);
        if (v.isNumber()) {
          obj.put(k, Quantities.display(v));
        }
      });
    }
  }

  private static void defaultPositive(ObjectNode o, String field, int value) {
    JsonNode v = o.get(field);
    if (!Checks.present(v) || (v.isIntegralNumber() && v.asLong() == 0)) {
      o.put(field, value);
    }
  }

  static void putIfUnset(ObjectNode o, String field, String value) {
    JsonNode v = o.get(field);
    if (!Checks.present(v) || (v.isTextual() && v.asText().isEmpty())) {
      o.put(field, value);
    }
  }
}
