package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Services: DNS-1035 names, type and session-affinity defaults, port rules. */
public final class ServiceStrategy implements Strategy {
  private static final List<String> TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.putObject("status").putObject("loadBalancer");
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    StatusRules.keepStoredStatus(obj, old);
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = obj.withObject("/spec");
    spec.putIfAbsent("type", spec.textNode("ClusterIP"));
    spec.putIfAbsent("sessionAffinity", spec.textNode("None"));
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        port.putIfAbsent("protocol", port.textNode("TCP"));
        if (!port.has("targetPort") && port.has("port")) {
          port.set("targetPort", port.get("port"));
        }
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.DNS1035_LABEL));
    JsonNode spec = obj.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    if (!TYPES.contains(type)) {
      errs.add(FieldError.notSupported("spec.type", type, TYPES));
    }
    JsonNode ports = spec.path("ports");
    if (!type.equals("ExternalName") && !"None".equals(spec.path("clusterIP").asText()) && ports.isEmpty()) {
      errs.add(FieldError.required("spec.ports", ""));
    }
    for (int i = 0; i < ports.size(); i++) {
      JsonNode p = ports.get(i);
      String at = "spec.ports[" + i + "]";
      JsonNode port = p.get("port");
      if (port == null) {
        errs.add(FieldError.required(at + ".port", ""));
      } else if (!port.isInt() || port.asInt() < 1 || port.asInt() > 65535) {
        errs.add(FieldError.invalid(at + ".port", port.asText(), "must be between 1 and 65535, inclusive"));
      }
      if (ports.size() > 1 && p.path("name").asText("").isEmpty()) {
        errs.add(FieldError.required(at + ".name", ""));
      }
    }
    return errs;
  }
}
