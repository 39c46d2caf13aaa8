package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pods: defaults of the pod spec, containers required and uniquely named, status Pending. */
public final class PodStrategy implements Strategy {
  private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");

  @Override
  public void prepareForCreate(ObjectNode obj) {
    ObjectNode status = obj.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", qosClass(obj.path("spec")));
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    StatusRules.keepStoredStatus(obj, old);
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = obj.withObject("/spec");
    spec.putIfAbsent("restartPolicy", spec.textNode("Always"));
    spec.putIfAbsent("dnsPolicy", spec.textNode("ClusterFirst"));
    spec.putIfAbsent("terminationGracePeriodSeconds", spec.numberNode(30));
    spec.putIfAbsent("schedulerName", spec.textNode("default-scheduler"));
    spec.putIfAbsent("securityContext", spec.objectNode());
    spec.putIfAbsent("enableServiceLinks", spec.booleanNode(true));
    for (String list : List.of("initContainers", "containers")) {
      if (spec.get(list) instanceof ArrayNode containers) {
        containers.forEach(c -> ContainerDefaults.apply((ObjectNode) c));
      }
    }
    if (!spec.has("serviceAccountName")) {
      spec.put("serviceAccountName", "default");
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    errs.addAll(validateSpec(obj.path("spec"), "spec"));
    return errs;
  }

  /** Validates a pod spec at {@code path} (also used for workload templates). */
  public static List<FieldError> validateSpec(JsonNode spec, String path) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode containers = spec.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      errs.add(FieldError.required(path + ".containers", ""));
    }
    Set<String> names = new HashSet<>();
    for (String list : List.of("initContainers", "containers")) {
      JsonNode cs = spec.path(list);
      for (int i = 0; i < cs.size(); i++) {
        String at = path + "." + list + "[" + i + "]";
        JsonNode c = cs.get(i);
        String name = c.path("name").asText("");
        if (name.isEmpty()) {
          errs.add(FieldError.required(at + ".name", ""));
        } else {
          errs.addAll(Names.check(at + ".name", name, Names.Format.LABEL));
          if (!names.add(name)) {
            errs.add(FieldError.duplicate(at + ".name", name));
          }
        }
        if (c.path("image").asText("").isBlank()) {
          errs.add(FieldError.required(at + ".image", ""));
        }
        errs.addAll(ContainerDefaults.validatePorts(c.path("ports"), at + ".ports"));
      }
    }
    String restart = spec.path("restartPolicy").asText("Always");
    if (!RESTART_POLICIES.contains(restart)) {
      errs.add(FieldError.notSupported(path + ".restartPolicy", restart, RESTART_POLICIES));
    }
    return errs;
  }

  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (JsonNode c : spec.path("containers")) {
      JsonNode requests = c.path("resources").path("requests");
      JsonNode limits = c.path("resources").path("limits");
      if (requests.size() > 0 || limits.size() > 0) {
        any = true;
      }
      for (String r : List.of("cpu", "memory")) {
        JsonNode lim = limits.get(r);
        JsonNode req = requests.get(r);
        if (lim == null || (req != null && !req.asText().equals(lim.asText()))) {
          guaranteed = false;
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
