package io.capstan.apiserver.registry.alloc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads what a Service spec holds: its type's needs, its cluster IPs and node ports. */
final class ServiceFields {
  private ServiceFields() {}

  static String type(JsonNode spec) {
    String t = spec.path("type").asText("");
    return t.isEmpty() ? "ClusterIP" : t;
  }

  static boolean needsClusterIp(JsonNode spec) {
    return !type(spec).equals("ExternalName");
  }

  static boolean needsNodePorts(JsonNode spec) {
    String t = type(spec);
    return t.equals("NodePort") || t.equals("LoadBalancer");
  }

  /** Whether ports without a nodePort get one (LoadBalancer may opt out). */
  static boolean allocatesNodePorts(JsonNode spec) {
    return type(spec).equals("NodePort")
        || (type(spec).equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
  }

  /** LoadBalancer with externalTrafficPolicy Local: it has a healthCheckNodePort. */
  static boolean needsHealthCheck(JsonNode spec) {
    return type(spec).equals("LoadBalancer") && spec.path("externalTrafficPolicy").asText("").equals("Local");
  }

  /** The addresses the Service holds (clusterIPs, else clusterIP), without "None". */
  static List<String> clusterIps(JsonNode spec) {
    List<String> out = new ArrayList<>();
    if (!needsClusterIp(spec)) {
      return out;
    }
    for (JsonNode ip : spec.path("clusterIPs")) {
      out.add(ip.asText());
    }
    String single = spec.path("clusterIP").asText("");
    if (out.isEmpty() && !single.isEmpty()) {
      out.add(single);
    }
    out.removeIf(ip -> ip.equals("None") || ip.isEmpty());
    return out;
  }

  /** The node ports the Service holds, its healthCheckNodePort included. */
  static Set<Integer> nodePorts(JsonNode spec) {
    Set<Integer> out = new LinkedHashSet<>();
    if (!needsNodePorts(spec)) {
      return out;
    }
    for (JsonNode p : spec.path("ports")) {
      int np = p.path("nodePort").asInt(0);
      if (np != 0) {
        out.add(np);
      }
    }
    int health = spec.path("healthCheckNodePort").asInt(0);
    if (needsHealthCheck(spec) && health != 0) {
      out.add(health);
    }
    return out;
  }
}
