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
    return scaleOf(registry.get(type, ns, name, null));
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
      ObjectNode spec = obj.withObject("/spec");
      if (spec.path("replicas").asInt(-1) != replicas.asInt()) {
        spec.put("replicas", replicas.asInt());
        ObjectNode meta = Json.metadata(obj);
        if (type.tracksGeneration()) {
          meta.put("generation", meta.path("generation").asLong(0) + 1);
        }
      }
      return obj;
    });
    return scaleOf(updated);
  }

  private static ObjectNode scaleOf(ObjectNode obj) {
    ObjectNode s = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode meta = Json.metadata(obj);
    ObjectNode sm = s.putObject("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (meta.has(f)) {
        sm.set(f, meta.get(f));
      }
    }
    s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(0));
    ObjectNode status = s.putObject("status").put("replicas", obj.path("status").path("replicas").asInt(0));
    String selector = selectorString(obj.path("spec").path("selector"));
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
