package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Services: DNS-1035 names, type, port and traffic-policy defaults, the clusterIP/clusterIPs pair,
 * values an update leaves out kept from the stored service, and clusterIP immutability.
 */
public final class ServiceStrategy implements Strategy {
  private static final int CLIENT_IP_TIMEOUT = 10800;

  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.putObject("status").putObject("loadBalancer");
    ObjectNode spec = Checks.object(obj, "spec");
    String clusterIp = Checks.text(spec, "clusterIP");
    if (!clusterIp.isEmpty() && spec.path("clusterIPs").isEmpty()) {
      spec.putArray("clusterIPs").add(clusterIp);
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    StatusRules.keepStoredStatus(obj, old);
    ObjectNode spec = Checks.object(obj, "spec");
    JsonNode before = old.path("spec");
    if (needsClusterIp(before) && needsClusterIp(spec)) {
      String newIp = Checks.text(spec, "clusterIP");
      if (!newIp.isEmpty() && !newIp.equals(Checks.text(before, "clusterIP"))
          && (spec.path("clusterIPs").isEmpty() || Immutable.same(spec.get("clusterIPs"), before.get("clusterIPs")))) {
        // The singular field changed and the plural did not: the plural follows (normalizeClusterIPs).
        spec.putArray("clusterIPs").add(newIp);
      }
      if (Checks.text(spec, "clusterIP").isEmpty() && Checks.present(before.get("clusterIP"))) {
        spec.set("clusterIP", before.get("clusterIP").deepCopy());
      }
      if (spec.path("clusterIPs").isEmpty() && !before.path("clusterIPs").isEmpty()
          && Checks.text(spec, "clusterIP").equals(Checks.text(before, "clusterIP"))) {
        spec.set("clusterIPs", before.get("clusterIPs").deepCopy());
      }
    }
    if (needsNodePort(before) && needsNodePort(spec)) {
      keepNodePorts(spec, before);
    }
    if (needsClusterIp(before) && !needsClusterIp(spec)) {
      dropIfSame(spec, before, "clusterIP");
      dropIfSame(spec, before, "clusterIPs");
      dropIfSame(spec, before, "ipFamilies");
      dropIfSame(spec, before, "ipFamilyPolicy");
    }
    if (needsNodePort(before) && !needsNodePort(spec)) {
      dropIfSame(spec, before, "externalTrafficPolicy");
      JsonNode ports = spec.path("ports");
      for (int i = 0; i < ports.size() && i < before.path("ports").size(); i++) {
        if (ports.get(i) instanceof ObjectNode p
            && Immutable.same(p.get("nodePort"), before.path("ports").get(i).get("nodePort"))) {
          p.remove("nodePort");
        }
      }
    }
    boolean healthBefore = type(before).equals("LoadBalancer") && Checks.text(before, "externalTrafficPolicy").equals("Local");
    boolean healthNow = type(spec).equals("LoadBalancer") && Checks.text(spec, "externalTrafficPolicy").equals("Local");
    if (healthBefore && healthNow && spec.path("healthCheckNodePort").asLong(0) == 0
        && Checks.present(before.get("healthCheckNodePort"))) {
      spec.set("healthCheckNodePort", before.get("healthCheckNodePort").deepCopy());
    } else if (healthBefore && !healthNow) {
      dropIfSame(spec, before, "healthCheckNodePort");
    }
    if (!type(spec).equals("LoadBalancer") && type(before).equals("LoadBalancer")) {
      dropIfSame(spec, before, "allocateLoadBalancerNodePorts");
    }
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Checks.object(obj, "spec");
    ContainerDefaults.putIfUnset(spec, "type", "ClusterIP");
    ContainerDefaults.putIfUnset(spec, "sessionAffinity", "None");
    String type = spec.path("type").asText();
    if (spec.path("sessionAffinity").asText().equals("None")) {
      spec.remove("sessionAffinityConfig");
    } else if (spec.path("sessionAffinity").asText().equals("ClientIP")) {
      ObjectNode clientIp = Checks.object(Checks.object(spec, "sessionAffinityConfig"), "clientIP");
      AppsDefaults.intIfUnset(clientIp, "timeoutSeconds", CLIENT_IP_TIMEOUT);
    }
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        ContainerDefaults.putIfUnset(port, "protocol", "TCP");
        JsonNode target = port.get("targetPort");
        boolean unset = !Checks.present(target) || (target.isIntegralNumber() && target.asLong() == 0)
            || (target.isTextual() && target.asText().isEmpty());
        if (unset && Checks.present(port.get("port"))) {
          port.set("targetPort", port.get("port").deepCopy());
        }
      }
    }
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer")
        || (type.equals("ClusterIP") && !spec.path("externalIPs").isEmpty());
    if (external) {
      ContainerDefaults.putIfUnset(spec, "externalTrafficPolicy", "Cluster");
    }
    if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
      ContainerDefaults.putIfUnset(spec, "internalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer") && !Checks.present(spec.get("allocateLoadBalancerNodePorts"))) {
      spec.put("allocateLoadBalancerNodePorts", true);
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.DNS1035_LABEL));
    errs.addAll(ServiceValidation.validate(obj.path("spec")));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = validate(obj);
    JsonNode spec = obj.path("spec");
    JsonNode before = old.path("spec");
    if (needsClusterIp(spec) && needsClusterIp(before)) {
      errs.addAll(clusterIpChanges(spec.path("clusterIPs"), before.path("clusterIPs"),
          Checks.text(spec, "clusterIP").equals("None") && Checks.text(before, "clusterIP").equals("None")));
    }
    return errs;
  }

  /** kube's validateUpgradeDowngradeClusterIPs for a single-stack cluster: the primary may not change. */
  private static List<FieldError> clusterIpChanges(JsonNode ips, JsonNode oldIps, boolean headless) {
    if (headless || oldIps.isEmpty()) {
      return List.of();
    }
    StringBuilder shown = new StringBuilder("[]string{");
    for (int i = 0; i < ips.size(); i++) {
      shown.append(i > 0 ? ", " : "").append('"').append(ips.get(i).asText()).append('"');
    }
    Checks.Raw value = Checks.raw(ips.isEmpty() ? "[]string(nil)" : shown.append('}').toString());
    if (ips.isEmpty()) {
      return List.of(FieldError.invalid("spec.clusterIPs[0]", value, "primary clusterIP can not be unset"));
    }
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < Math.min(ips.size(), oldIps.size()); i++) {
      if (!ips.get(i).asText().equals(oldIps.get(i).asText())) {
        errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", value, "may not change once set"));
      }
    }
    return errs;
  }

  private static String type(JsonNode spec) {
    String t = Checks.text(spec, "type");
    return t.isEmpty() ? "ClusterIP" : t;
  }

  private static boolean needsClusterIp(JsonNode spec) {
    return !type(spec).equals("ExternalName");
  }

  private static boolean needsNodePort(JsonNode spec) {
    return type(spec).equals("NodePort") || type(spec).equals("LoadBalancer");
  }

  /** Ports the update gave no nodePort keep the one their namesake had, unless another port took it. */
  private static void keepNodePorts(ObjectNode spec, JsonNode before) {
    Map<String, Long> byName = new HashMap<>();
    Set<Long> oldPorts = new HashSet<>();
    for (JsonNode p : before.path("ports")) {
      byName.put(Checks.text(p, "name"), p.path("nodePort").asLong(0));
      oldPorts.add(p.path("nodePort").asLong(0));
    }
    Set<Long> used = new HashSet<>();
    for (JsonNode p : spec.path("ports")) {
      long np = p.path("nodePort").asLong(0);
      if (np != 0 && oldPorts.contains(np)) {
        used.add(np);
      }
    }
    if (!(spec.get("ports") instanceof ArrayNode ports)) {
      return;
    }
    for (JsonNode p : ports) {
      if (p instanceof ObjectNode port && port.path("nodePort").asLong(0) == 0) {
        long old = byName.getOrDefault(Checks.text(port, "name"), 0L);
        if (old != 0 && !used.contains(old)) {
          port.put("nodePort", old);
        }
      }
    }
  }

  private static void dropIfSame(ObjectNode spec, JsonNode before, String field) {
    if (Immutable.same(spec.get(field), before.get(field))) {
      spec.remove(field);
    }
  }
}
