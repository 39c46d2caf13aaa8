package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.resources.ResourceType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The scale (autoscaling/v1 Scale) and binding subresources. */
final class Subresources {
  private final Registry registry;

  Subresources(Registry registry) {
    this.registry = registry;
  }

  ObjectNode getScale(ResourceType type, String ns, String name) {
    return scaleOf(type, registry.get(type, ns, name, null));
  }

  /** JSON-path field of a scale subresource: ".spec.replicas" → ["spec", "replicas"]. */
  private static String[] path(String jsonPath) {
    String p = jsonPath.startsWith(".") ? jsonPath.substring(1) : jsonPath;
    return p.split("\\.");
  }

  private static String specReplicasPath(ResourceType type) {
    return type.isCustom() ? type.custom().specReplicasPath() : ".spec.replicas";
  }

  private static JsonNode at(JsonNode obj, String jsonPath) {
    if (jsonPath == null) {
      return null;
    }
    JsonNode n = obj;
    for (String part : path(jsonPath)) {
      n = n == null ? null : n.get(part);
    }
    return n;
  }

  ObjectNode updateScale(ResourceType type, String ns, String name, ObjectNode scale, boolean dryRun) {
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.isInt() || replicas.asInt() < 0) {
      throw StatusErrors.invalid("autoscaling", "Scale", name, List.of(
          io.capstan.apiserver.errors.FieldError.invalid("spec.replicas", replicas.asText(), "must be greater than or equal to 0")));
    }
    String rv = Json.text(scale, "metadata.resourceVersion");
    ObjectNode updated = registry.guaranteedUpdate(type, ns, name, dryRun, obj -> {
      if (!rv.isEmpty() && !rv.equals(Json.text(obj, "metadata.resourceVersion"))) {
        throw StatusErrors.conflict(type.group(), type.plural(), name);
      }
      String[] p = path(specReplicasPath(type));
      ObjectNode parent = obj;
      for (int i = 0; i < p.length - 1; i++) {
        parent = parent.withObject("/" + p[i]);
      }
      if (parent.path(p[p.length - 1]).asInt(-1) != replicas.asInt()) {
        parent.put(p[p.length - 1], replicas.asInt());
        ObjectNode meta = Json.metadata(obj);
        if (type.tracksGeneration()) {
          meta.put("generation", meta.path("generation").asLong(0) + 1);
        }
      }
      return obj;
    });
    return scaleOf(type, Registry.present(type, updated));
  }

  private static ObjectNode scaleOf(ResourceType type, ObjectNode obj) {
    ObjectNode s = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode meta = Json.metadata(obj);
    ObjectNode sm = s.putObject("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (meta.has(f)) {
        sm.set(f, meta.get(f));
      }
    }
    JsonNode specReplicas = at(obj, specReplicasPath(type));
    JsonNode statusReplicas = at(obj, type.isCustom() ? type.custom().statusReplicasPath() : ".status.replicas");
    s.putObject("spec").put("replicas", specReplicas == null ? 0 : specReplicas.asInt(0));
    ObjectNode status = s.putObject("status").put("replicas", statusReplicas == null ? 0 : statusReplicas.asInt(0));
    String selector;
    if (type.isCustom()) {
      JsonNode sel = at(obj, type.custom().labelSelectorPath());
      selector = sel == null ? "" : sel.asText("");
    } else {
      selector = selectorString(obj.path("spec").path("selector"));
    }
    if (!selector.isEmpty()) {
      status.put("selector", selector);
    }
    return s;
  }

  /** A structured selector as the string form kubectl and HPA read ("app=web,tier in (a)"). */
  static String selectorString(JsonNode selector) {
    List<String> parts = new ArrayList<>();
    selector.path("matchLabels").fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      switch (expr.path("operator").asText()) {
        case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
        case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
        case "Exists" -> parts.add(key);
        case "DoesNotExist" -> parts.add("!" + key);
        default -> { }
      }
    }
    return String.join(",", parts);
  }

  /** POST pods/{name}/binding: assigns the pod to a node once. */
  ObjectNode bind(ResourceType pods, String ns, String name, ObjectNode binding, boolean dryRun) {
    String node = Json.text(binding, "target.name");
    if (node.isEmpty()) {
      throw StatusErrors.invalid("", "Binding", name, List.of(
          io.capstan.apiserver.errors.FieldError.required("target.name", "")));
    }
    registry.guaranteedUpdate(pods, ns, name, dryRun, pod -> {
      String current = Json.text(pod, "spec.nodeName");
      if (!current.isEmpty()) {
        throw StatusErrors.conflict("", "pods", name, "pod " + name + " is already assigned to node \"" + current + "\"");
      }
      if (Json.metadata(pod).hasNonNull("deletionTimestamp")) {
        throw StatusErrors.conflict("", "pods", name, "pod " + name + " is being deleted, cannot be assigned to a host");
      }
      pod.withObject("/spec").put("nodeName", node);
      ArrayNode conditions = pod.withObject("/status").withArray("conditions");
      for (int i = conditions.size() - 1; i >= 0; i--) {
        if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
          conditions.remove(i);
        }
      }
      conditions.addObject().put("type", "PodScheduled").put("status", "True")
          .put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      return pod;
    });
    return Responses.success(null, null, null, null);
  }
}
