package io.capstan.controllers.endpointslice;

import io.capstan.controllers.endpoints.ServicePods;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * The endpoints a Service should have, as upstream's EndpointSlice reconciler computes them: per
 * address type (IPv4, IPv6) and per set of resolved ports, one endpoint per pod keyed by its uid.
 * Terminating pods are included with {@code terminating: true}; {@code ready} is {@code serving
 * && !terminating}, or always true with {@code publishNotReadyAddresses}.
 */
final class DesiredEndpoints {
  static final String IPV4 = "IPv4";
  static final String IPV6 = "IPv6";

  private DesiredEndpoints() {}

  /** The address types the Service's slices carry: its ipFamilies, its clusterIP's family, or its pods'. */
  static List<String> addressTypes(Service service, List<Pod> pods) {
    List<String> families = service.getSpec().getIpFamilies();
    if (families != null && !families.isEmpty()) {
      return List.copyOf(new LinkedHashSet<>(families));
    }
    String clusterIP = service.getSpec().getClusterIP();
    if (clusterIP != null && !clusterIP.isEmpty() && !"None".equals(clusterIP)) {
      return List.of(ServicePods.isIPv6(clusterIP) ? IPV6 : IPV4);
    }
    Set<String> seen = new LinkedHashSet<>();
    pods.forEach(p -> ServicePods.ips(p).forEach(ip -> seen.add(ServicePods.isIPv6(ip) ? IPV6 : IPV4)));
    return seen.isEmpty() ? List.of(IPV4) : List.copyOf(seen);
  }

  /**
   * For {@code addressType}: port set to endpoints (by pod uid) of the selected {@code pods};
   * {@code zoneOfNode} gives a node's topology zone or null.
   */
  static Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> of(Service service, List<Pod> pods, String addressType,
      Function<String, String> zoneOfNode) {
    Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> out = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!ServicePods.shouldBeEndpoint(pod, true)) {
        continue;
      }
      List<String> ips = ServicePods.ips(pod).stream()
          .filter(ip -> ServicePods.isIPv6(ip) == IPV6.equals(addressType)).toList();
      if (ips.isEmpty()) {
        continue;
      }
      List<SliceKeys.PortKey> ports = ports(service, pod);
      Endpoint endpoint = endpoint(service, pod, ips.get(0), zoneOfNode);
      out.computeIfAbsent(ports, p -> new LinkedHashMap<>()).put(SliceKeys.endpointKey(endpoint), endpoint);
    }
    return out;
  }

  /** The ports {@code pod} serves for {@code service}, sorted; a named targetPort the pod lacks is left out. */
  static List<SliceKeys.PortKey> ports(Service service, Pod pod) {
    List<SliceKeys.PortKey> ports = new ArrayList<>();
    List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    for (ServicePort sp : servicePorts) {
      OptionalInt target = ServicePods.targetPort(pod, sp);
      if (target.isPresent()) {
        ports.add(new SliceKeys.PortKey(SliceKeys.emptyToNull(sp.getName()), target.getAsInt(),
            ServicePods.protocol(sp), SliceKeys.emptyToNull(sp.getAppProtocol())));
      }
    }
    ports.sort(null);
    return List.copyOf(ports);
  }

  static List<EndpointPort> toPorts(List<SliceKeys.PortKey> ports) {
    return ports.stream().map(p -> new EndpointPortBuilder().withName(p.name()).withPort(p.port())
        .withProtocol(p.protocol()).withAppProtocol(p.appProtocol()).build()).toList();
  }

  private static Endpoint endpoint(Service service, Pod pod, String ip, Function<String, String> zoneOfNode) {
    boolean serving = ServicePods.isReady(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    boolean ready = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses()) || (serving && !terminating);
    String node = pod.getSpec() == null ? null : SliceKeys.emptyToNull(pod.getSpec().getNodeName());
    return new EndpointBuilder().withAddresses(ip)
        .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
        .withNodeName(node).withZone(node == null ? null : zoneOfNode.apply(node))
        .withHostname(ServicePods.hostname(pod, service))
        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build())
        .build();
  }
}
