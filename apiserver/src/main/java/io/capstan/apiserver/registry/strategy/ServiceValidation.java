package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** ValidateService of core/v1: type, ports, selector, session affinity, cluster IPs, traffic policies. */
final class ServiceValidation {
  static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> AFFINITIES = List.of("ClientIP", "None");
  private static final List<String> TRAFFIC = List.of("Cluster", "Local");

  private ServiceValidation() {}

  static List<FieldError> validate(JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    String type = Checks.text(spec, "type");
    boolean headless = Checks.text(spec, "clusterIP").equals("None");
    JsonNode ports = spec.path("ports");
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      errs.add(FieldError.required("spec.ports", ""));
    }
    switch (type) {
      case "LoadBalancer", "NodePort" -> {
        if (headless) {
          errs.add(FieldError.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for " + type + " services"));
        }
      }
      case "ExternalName" -> externalName(spec, errs);
      default -> { }
    }
    ports(spec, type, headless, errs);
    errs.addAll(MetadataValidation.labels(spec.get("selector"), "spec.selector"));
    sessionAffinity(spec, errs);
    clusterIps(spec, type, errs);
    JsonNode externalIps = spec.path("externalIPs");
    for (int i = 0; i < externalIps.size(); i++) {
      String ip = externalIps.get(i).asText();
      if (!Checks.isIp(ip)) {
        errs.add(FieldError.invalid("spec.externalIPs[" + i + "]", ip, Checks.ipError()));
      }
    }
    if (type.isEmpty()) {
      errs.add(FieldError.required("spec.type", ""));
    } else if (!TYPES.contains(type)) {
      errs.add(FieldError.notSupported("spec.type", type, TYPES));
    }
    boolean lb = type.equals("LoadBalancer");
    if (!spec.path("loadBalancerSourceRanges").isEmpty() && !lb) {
      errs.add(FieldError.forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"));
    }
    if (Checks.present(spec.get("allocateLoadBalancerNodePorts")) && !lb) {
      errs.add(FieldError.forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));
    }
    trafficPolicies(spec, type, errs);
    long health = spec.path("healthCheckNodePort").asLong(0);
    if (health != 0 && !(lb && Checks.text(spec, "externalTrafficPolicy").equals("Local"))) {
      errs.add(FieldError.invalid("spec.healthCheckNodePort", health,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
    return errs;
  }

  private static void externalName(JsonNode spec, List<FieldError> errs) {
    if (!spec.path("clusterIPs").isEmpty() || !Checks.text(spec, "clusterIP").isEmpty()) {
      errs.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
    }
    if (!spec.path("ipFamilies").isEmpty()) {
      errs.add(FieldError.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
    }
    if (Checks.present(spec.get("ipFamilyPolicy"))) {
      errs.add(FieldError.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
    }
    String cname = Checks.text(spec, "externalName");
    if (cname.endsWith(".")) {
      cname = cname.substring(0, cname.length() - 1);
    }
    if (cname.isEmpty()) {
      errs.add(FieldError.required("spec.externalName", ""));
    } else {
      errs.addAll(Names.check("spec.externalName", cname, Names.Format.SUBDOMAIN));
    }
  }

  private static void ports(JsonNode spec, String type, boolean headless, List<FieldError> errs) {
    JsonNode ports = spec.path("ports");
    Set<String> names = new HashSet<>();
    Set<String> nodePorts = new HashSet<>();
    Set<String> portKeys = new HashSet<>();
    boolean allowsNodePort = type.equals("NodePort") || type.equals("LoadBalancer");
    for (int i = 0; i < ports.size(); i++) {
      JsonNode p = ports.get(i);
      String at = "spec.ports[" + i + "]";
      String name = Checks.text(p, "name");
      if (ports.size() > 1 && name.isEmpty()) {
        errs.add(FieldError.required(at + ".name", ""));
      } else if (!name.isEmpty()) {
        errs.addAll(Names.check(at + ".name", name, Names.Format.LABEL));
        if (!names.add(name)) {
          errs.add(FieldError.duplicate(at + ".name", name));
        }
      }
      JsonNode port = p.get("port");
      if (!Checks.isInt(port) || !Checks.validPort(port.asLong())) {
        errs.add(FieldError.invalid(at + ".port", Checks.raw(Checks.present(port) ? port.asText() : "0"),
            Checks.PORT_RANGE));
      }
      String proto = Checks.text(p, "protocol");
      if (proto.isEmpty()) {
        errs.add(FieldError.required(at + ".protocol", ""));
      } else if (!ContainerValidation.PROTOCOLS.contains(proto)) {
        errs.add(FieldError.notSupported(at + ".protocol", proto, ContainerValidation.PROTOCOLS));
      }
      Checks.portNumOrName(p.get("targetPort"), at + ".targetPort", errs);
      String appProtocol = Checks.text(p, "appProtocol");
      if (Checks.present(p.get("appProtocol"))) {
        errs.addAll(MetadataValidation.qualifiedName(at + ".appProtocol", appProtocol));
      }
      long nodePort = p.path("nodePort").asLong(0);
      if (nodePort != 0) {
        if (!allowsNodePort && TYPES.contains(type)) {
          errs.add(FieldError.forbidden(at + ".nodePort", "may not be used when `type` is '" + type + "'"));
        }
        // The range is the node port allocator's check (registry.alloc), which runs after validation.
        if (!nodePorts.add(proto + "/" + nodePort)) {
          errs.add(FieldError.duplicate(at + ".nodePort", nodePort));
        }
      }
      if (!portKeys.add(proto + "/" + p.path("port").asText())) {
        errs.add(FieldError.duplicate(at, Checks.raw("{\"port\":" + p.path("port").asText() + ",\"protocol\":\""
            + proto + "\"}")));
      }
    }
  }

  private static void sessionAffinity(JsonNode spec, List<FieldError> errs) {
    String affinity = Checks.text(spec, "sessionAffinity");
    JsonNode config = spec.get("sessionAffinityConfig");
    if (affinity.isEmpty()) {
      errs.add(FieldError.required("spec.sessionAffinity", ""));
    } else if (!AFFINITIES.contains(affinity)) {
      errs.add(FieldError.notSupported("spec.sessionAffinity", affinity, AFFINITIES));
    }
    if (affinity.equals("ClientIP")) {
      JsonNode timeout = config == null ? null : config.path("clientIP").get("timeoutSeconds");
      if (!Checks.present(config) || !Checks.present(config.get("clientIP"))) {
        errs.add(FieldError.required("spec.sessionAffinityConfig", "when session affinity type is ClientIP"));
      } else if (!Checks.isInt(timeout) || timeout.asLong() <= 0 || timeout.asLong() > 86400) {
        errs.add(FieldError.invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds",
            Checks.raw(Checks.present(timeout) ? timeout.asText() : "0"), "must be greater than 0 and less than 86400"));
      }
    } else if (affinity.equals("None") && Checks.present(config)) {
      errs.add(FieldError.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
    }
  }

  private static void clusterIps(JsonNode spec, String type, List<FieldError> errs) {
    if (type.equals("ExternalName")) {
      return;
    }
    String clusterIp = Checks.text(spec, "clusterIP");
    JsonNode ips = spec.path("clusterIPs");
    if (clusterIp.isEmpty() && !ips.isEmpty()) {
      errs.add(FieldError.invalid("spec.clusterIPs", Checks.json(ips), "must be empty when `clusterIP` is not specified"));
      return;
    }
    if (!ips.isEmpty() && !ips.get(0).asText().equals(clusterIp)) {
      errs.add(FieldError.invalid("spec.clusterIPs", Checks.json(ips), "first value must match `clusterIP`"));
    }
    for (int i = 0; i < ips.size(); i++) {
      String ip = ips.get(i).asText();
      boolean ok = Checks.isIp(ip) || (i == 0 && ip.equals("None") && ips.size() == 1);
      if (!ok) {
        errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", ip, Checks.ipError()));
      }
    }
  }

  private static void trafficPolicies(JsonNode spec, String type, List<FieldError> errs) {
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer")
        || (type.equals("ClusterIP") && !spec.path("externalIPs").isEmpty());
    String etp = Checks.text(spec, "externalTrafficPolicy");
    if (!external) {
      if (!etp.isEmpty()) {
        errs.add(FieldError.invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"));
      }
    } else if (etp.isEmpty()) {
      errs.add(FieldError.required("spec.externalTrafficPolicy", ""));
    } else if (!TRAFFIC.contains(etp)) {
      errs.add(FieldError.notSupported("spec.externalTrafficPolicy", etp, TRAFFIC));
    }
    JsonNode itp = spec.get("internalTrafficPolicy");
    if (!Checks.present(itp)) {
      if (type.equals("ClusterIP") || type.equals("NodePort") || type.equals("LoadBalancer")) {
        errs.add(FieldError.required("spec.internalTrafficPolicy", ""));
      }
    } else if (!TRAFFIC.contains(itp.asText())) {
      errs.add(FieldError.notSupported("spec.internalTrafficPolicy", itp.asText(), TRAFFIC));
    }
  }
}
