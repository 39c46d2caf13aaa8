package io.capstan.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.resources.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The selectable fields of each kind and their values on an object, as the kinds'
 * {@code GetAttrs}/{@code ToSelectableFields} functions define them upstream.
 */
public final class FieldSets {
  private static final Map<String, List<String>> EXTRA = Map.of(
      "Pod", List.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
          "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
      "Event", List.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
      "Secret", List.of("type"),
      "Namespace", List.of("status.phase"),
      "Node", List.of("spec.unschedulable"),
      "ReplicaSet", List.of("status.replicas"),
      "Job", List.of("status.successful"));

  private FieldSets() {}

  /** Fields a selector on {@code type} may name. */
  public static Set<String> supported(ResourceType type) {
    Set<String> s = new java.util.HashSet<>(Set.of("metadata.name", "metadata.namespace"));
    if (type.group().isEmpty() || !type.kind().equals("Event")) {
      s.addAll(EXTRA.getOrDefault(type.kind(), List.of()));
    }
    return s;
  }

  /** The selectable field values of {@code obj}. */
  public static Map<String, String> values(ResourceType type, JsonNode obj) {
    Map<String, String> out = new HashMap<>();
    out.put("metadata.name", Json.text(obj, "metadata.name"));
    out.put("metadata.namespace", Json.text(obj, "metadata.namespace"));
    for (String f : supported(type)) {
      if (f.equals("source") && type.kind().equals("Event")) {
        out.put(f, Json.text(obj, "source.component"));
      } else if (f.equals("spec.hostNetwork") || f.equals("spec.unschedulable")) {
        out.put(f, String.valueOf(Json.at(obj, f) != null && Json.at(obj, f).asBoolean()));
      } else if (f.equals("status.successful")) {
        out.put(f, String.valueOf(Json.at(obj, f) == null ? 0 : Json.at(obj, f).asLong()));
      } else if (!out.containsKey(f)) {
        out.put(f, Json.text(obj, f));
      }
    }
    return out;
  }

  /** The labels of {@code obj}. */
  public static Map<String, String> labels(JsonNode obj) {
    JsonNode l = Json.at(obj, "metadata.labels");
    if (l == null || !l.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
