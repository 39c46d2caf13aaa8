package io.capstan.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code subsets} of a Service's Endpoints, built as upstream's Endpoints controller does:
 * one address per pod (the IP of the Service's family), each resolved port per pod, then
 * repacked (as {@code RepackSubsets}) so that addresses offering the same set of ports share one
 * subset; pods whose named targetPort resolves differently land in different subsets.
 */
final class EndpointSubsets {
  /** Stands for "no ports" so that a headless Service without ports still lists its addresses. */
  private static final PortKey NO_PORT = new PortKey(null, -1, null, null);

  private EndpointSubsets() {}

  /** The desired subsets of {@code service} given the pods its selector selects. */
  static List<EndpointSubset> desired(Service service, List<Pod> selected) {
    boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    boolean headless = "None".equals(service.getSpec().getClusterIP());
    List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    Map<AddressKey, EndpointAddress> addresses = new LinkedHashMap<>();
    Map<PortKey, Map<AddressKey, Boolean>> readinessByPort = new LinkedHashMap<>();
    for (Pod pod : selected) {
      if (!ServicePods.shouldBeEndpoint(pod, publishNotReady)) {
        continue;
      }
      String ip = addressFor(service, pod);
      if (ip == null) {
        continue;
      }
      EndpointAddress address = address(service, pod, ip);
      AddressKey key = AddressKey.of(address);
      addresses.putIfAbsent(key, address);
      boolean ready = publishNotReady || ServicePods.isReady(pod);
      if (servicePorts.isEmpty()) {
        if (headless) {
          readinessByPort.computeIfAbsent(NO_PORT, p -> new TreeMap<>()).merge(key, ready, Boolean::logicalOr);
        }
        continue;
      }
      for (ServicePort sp : servicePorts) {
        OptionalInt target = ServicePods.targetPort(pod, sp);
        if (target.isEmpty()) {
          continue;
        }
        PortKey port = new PortKey(emptyToNull(sp.getName()), target.getAsInt(), ServicePods.protocol(sp),
            emptyToNull(sp.getAppProtocol()));
        readinessByPort.computeIfAbsent(port, p -> new TreeMap<>()).merge(key, ready, Boolean::logicalOr);
      }
    }
    return repack(readinessByPort, addresses);
  }

  /** Whether two subset lists say the same thing, ignoring order and target resourceVersions. */
  static boolean same(List<EndpointSubset> a, List<EndpointSubset> b) {
    return canonical(a).equals(canonical(b));
  }

  private static List<EndpointSubset> repack(Map<PortKey, Map<AddressKey, Boolean>> readinessByPort,
      Map<AddressKey, EndpointAddress> addresses) {
    Map<Map<AddressKey, Boolean>, List<PortKey>> portsByAddressSet = new LinkedHashMap<>();
    readinessByPort.forEach((port, set) -> {
      List<PortKey> ports = portsByAddressSet.computeIfAbsent(set, s -> new ArrayList<>());
      if (!port.equals(NO_PORT)) {
        ports.add(port);
      }
    });
    List<EndpointSubset> subsets = new ArrayList<>();
    portsByAddressSet.forEach((set, ports) -> {
      EndpointSubsetBuilder b = new EndpointSubsetBuilder();
      set.forEach((key, ready) -> {
        if (ready) {
          b.addToAddresses(addresses.get(key));
        } else {
          b.addToNotReadyAddresses(addresses.get(key));
        }
      });
      ports.stream().sorted().forEach(p -> b.addToPorts(p.toPort()));
      subsets.add(b.build());
    });
    subsets.sort(Comparator.comparing(EndpointSubsets::sortKey));
    return subsets;
  }

  private static String sortKey(EndpointSubset s) {
    return s.getPorts().toString() + s.getAddresses().size();
  }

  private static String addressFor(Service service, Pod pod) {
    List<String> ips = ServicePods.ips(pod);
    Boolean wantV6 = family(service);
    if (wantV6 == null) {
      return ips.isEmpty() ? null : ips.get(0);
    }
    return ips.stream().filter(ip -> ServicePods.isIPv6(ip) == wantV6).findFirst().orElse(null);
  }

  /** True for IPv6, false for IPv4, null when the Service does not say (headless without ipFamilies). */
  private static Boolean family(Service service) {
    List<String> families = service.getSpec().getIpFamilies();
    if (families != null && !families.isEmpty()) {
      return "IPv6".equals(families.get(0));
    }
    String clusterIP = service.getSpec().getClusterIP();
    if (clusterIP == null || clusterIP.isEmpty() || "None".equals(clusterIP)) {
      return null;
    }
    return ServicePods.isIPv6(clusterIP);
  }

  private static EndpointAddress address(Service service, Pod pod, String ip) {
    ObjectReference ref = new ObjectReferenceBuilder().withKind("Pod")
        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid()).build();
    String node = pod.getSpec() == null ? null : emptyToNull(pod.getSpec().getNodeName());
    return new EndpointAddressBuilder().withIp(ip).withNodeName(node)
        .withHostname(ServicePods.hostname(pod, service)).withTargetRef(ref).build();
  }

  private static Set<SubsetKey> canonical(List<EndpointSubset> subsets) {
    Set<SubsetKey> keys = new HashSet<>();
    if (subsets == null) {
      return keys;
    }
    for (EndpointSubset s : subsets) {
      Set<AddressKey> ready = new HashSet<>();
      Set<AddressKey> notReady = new HashSet<>();
      Set<PortKey> ports = new HashSet<>();
      if (s.getAddresses() != null) {
        s.getAddresses().forEach(a -> ready.add(AddressKey.of(a)));
      }
      if (s.getNotReadyAddresses() != null) {
        s.getNotReadyAddresses().forEach(a -> notReady.add(AddressKey.of(a)));
      }
      if (s.getPorts() != null) {
        s.getPorts().forEach(p -> ports.add(PortKey.of(p)));
      }
      keys.add(new SubsetKey(ready, notReady, ports));
    }
    return keys;
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private record SubsetKey(Set<AddressKey> ready, Set<AddressKey> notReady, Set<PortKey> ports) {}

  /** Everything an address says except its target's resourceVersion. */
  private record AddressKey(String ip, String hostname, String nodeName, String kind, String namespace,
      String name, String uid) implements Comparable<AddressKey> {
    static AddressKey of(EndpointAddress a) {
      ObjectReference r = a.getTargetRef();
      return new AddressKey(emptyToNull(a.getIp()), emptyToNull(a.getHostname()), emptyToNull(a.getNodeName()),
          r == null ? null : emptyToNull(r.getKind()), r == null ? null : emptyToNull(r.getNamespace()),
          r == null ? null : emptyToNull(r.getName()), r == null ? null : emptyToNull(r.getUid()));
    }

    @Override
    public int compareTo(AddressKey o) {
      return Comparator.comparing(AddressKey::ip, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .thenComparing(AddressKey::uid, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .compare(this, o);
    }
  }

  private record PortKey(String name, int port, String protocol, String appProtocol) implements Comparable<PortKey> {
    static PortKey of(EndpointPort p) {
      return new PortKey(emptyToNull(p.getName()), p.getPort() == null ? 0 : p.getPort(),
          p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol(), emptyToNull(p.getAppProtocol()));
    }

    EndpointPort toPort() {
      return new EndpointPortBuilder().withName(name).withPort(port).withProtocol(protocol)
          .withAppProtocol(appProtocol).build();
    }

    @Override
    public int compareTo(PortKey o) {
      return Comparator.comparing(PortKey::name, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .thenComparingInt(PortKey::port)
          .thenComparing(PortKey::protocol, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .compare(this, o);
    }
  }

  static boolean sameLabels(Map<String, String> a, Map<String, String> b) {
    return Objects.equals(a == null ? Map.of() : a, b == null ? Map.of() : b);
  }
}
