package io.capstan.apiserver.table;

import static io.capstan.apiserver.table.Cells.NONE;
import static io.capstan.apiserver.table.Cells.strings;
import static io.capstan.apiserver.table.Cells.text;
import static io.capstan.apiserver.table.WorkloadColumns.age;
import static io.capstan.apiserver.table.WorkloadColumns.name;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Columns of Service, Endpoints and EndpointSlice. */
final class NetworkColumns {
  private NetworkColumns() {}

  static KindColumns services() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Type", "How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName."),
        Column.string("Cluster-IP", "The virtual IP of the service inside the cluster."),
        Column.string("External-IP", "Addresses the service is reachable at from outside the cluster."),
        Column.string("Port(s)", "Service ports, as port[:nodePort]/protocol."),
        Column.age(),
        Column.wide("Selector", "Labels of the pods that back the service.")),
        (svc, now) -> {
          JsonNode spec = svc.path("spec");
          String type = text(spec, "type").isEmpty() ? "ClusterIP" : text(spec, "type");
          List<String> clusterIps = strings(spec.get("clusterIPs"));
          String clusterIp = !clusterIps.isEmpty() ? clusterIps.get(0) : Cells.orNone(text(spec, "clusterIP"));
          String ports = ports(spec.path("ports"));
          return List.of(name(svc), type, clusterIp, externalIp(svc, type), ports.isEmpty() ? NONE : ports,
              age(svc, now), Cells.formatLabels(spec.path("selector")));
        });
  }

  static KindColumns endpoints() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Endpoints", "The first addresses, as ip:port."), Column.age()),
        (ep, now) -> List.of(name(ep), endpointList(ep.path("subsets")), age(ep, now)));
  }

  static KindColumns endpointSlices() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("AddressType", "IPv4, IPv6 or FQDN."),
        Column.string("Ports", "The first ports of the slice."),
        Column.string("Endpoints", "The first addresses of the slice."),
        Column.age()),
        (s, now) -> {
          List<String> ports = new ArrayList<>();
          for (JsonNode p : s.path("ports")) {
            ports.add(p.path("port").isNumber() ? p.path("port").asText()
                : p.path("name").isTextual() ? p.path("name").asText() : "*");
          }
          List<String> addresses = new ArrayList<>();
          for (JsonNode e : s.path("endpoints")) {
            addresses.addAll(strings(e.get("addresses")));
          }
          return List.of(name(s), text(s, "addressType"), firstThree(ports), firstThree(addresses), age(s, now));
        });
  }

  /** "80/TCP,443:30443/TCP". */
  static String ports(JsonNode ports) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : ports) {
      String protocol = text(p, "protocol").isEmpty() ? "TCP" : text(p, "protocol");
      long nodePort = Cells.num(p, 0, "nodePort");
      out.add(nodePort > 0 ? text(p, "port") + ":" + nodePort + "/" + protocol : text(p, "port") + "/" + protocol);
    }
    return String.join(",", out);
  }

  private static String externalIp(JsonNode svc, String type) {
    List<String> external = strings(svc.path("spec").get("externalIPs"));
    switch (type) {
      case "ClusterIP", "NodePort" -> {
        return external.isEmpty() ? NONE : String.join(",", external);
      }
      case "LoadBalancer" -> {
        List<String> all = new ArrayList<>();
        for (JsonNode ing : svc.path("status").path("loadBalancer").path("ingress")) {
          String ip = text(ing, "ip");
          all.add(ip.isEmpty() ? text(ing, "hostname") : ip);
        }
        all.removeIf(String::isEmpty);
        all.addAll(external);
        return all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName" -> {
        return text(svc, "spec", "externalName");
      }
      default -> {
        return "<unknown>";
      }
    }
  }

  private static String endpointList(JsonNode subsets) {
    if (subsets.size() == 0) {
      return NONE;
    }
    List<String> list = new ArrayList<>();
    int count = 0;
    for (JsonNode ss : subsets) {
      JsonNode addresses = ss.path("addresses");
      if (ss.path("ports").size() == 0) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() < 3) {
            list.add(text(a, "ip"));
          }
        }
        continue;
      }
      for (JsonNode port : ss.path("ports")) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() < 3) {
            String ip = text(a, "ip");
            list.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + text(port, "port"));
          }
        }
      }
    }
    String joined = String.join(",", list);
    return count > 3 ? joined + " + " + (count - 3) + " more..." : joined;
  }

  private static String firstThree(List<String> items) {
    if (items.isEmpty()) {
      return "<unset>";
    }
    String joined = String.join(",", items.subList(0, Math.min(3, items.size())));
    return items.size() > 3 ? joined + " + " + (items.size() - 3) + " more..." : joined;
  }
}
