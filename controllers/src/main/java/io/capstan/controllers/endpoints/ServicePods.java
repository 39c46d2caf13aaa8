package io.capstan.controllers.endpoints;

import io.capstan.controllers.meta.LabelSelectors;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Which pods back a Service and how, as upstream's endpoint utilities decide it; shared by the
 * Endpoints and EndpointSlice controllers.
 *
 * <ul>
 *   <li>A Service selects pods only through a non-empty {@code spec.selector}; without one its
 *       endpoints belong to the user. ExternalName Services get no endpoints either.
 *   <li>A pod is an endpoint when it has an IP, is not terminal (Succeeded or Failed) and, unless
 *       terminating pods are wanted, has no deletionTimestamp.
 *   <li>A service port's {@code targetPort} is a number, or a container port name looked up on
 *       each pod (containers and restartable init containers, same protocol); a pod without that
 *       name does not serve that port.
 * </ul>
 */
public final class ServicePods {
  /** The label on the endpoints of a headless Service ({@code clusterIP: None}). */
  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

  private ServicePods() {}

  /** Whether this controller manages endpoints for {@code service}. */
  public static boolean hasSelector(Service service) {
    if (service.getSpec() == null || "ExternalName".equals(service.getSpec().getType())) {
      return false;
    }
    Map<String, String> selector = service.getSpec().getSelector();
    return selector != null && !selector.isEmpty();
  }

  /** Whether {@code service}'s selector selects {@code pod} (same namespace, every label matches). */
  public static boolean selects(Service service, Pod pod) {
    return hasSelector(service)
        && Objects.equals(service.getMetadata().getNamespace(), pod.getMetadata().getNamespace())
        && LabelSelectors.containsAll(pod.getMetadata().getLabels(), service.getSpec().getSelector());
  }

  /** Whether {@code pod} is listed at all; {@code includeTerminating} keeps pods being deleted. */
  public static boolean shouldBeEndpoint(Pod pod, boolean includeTerminating) {
    if (pod.getStatus() == null || isTerminal(pod) || ips(pod).isEmpty()) {
      return false;
    }
    return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
  }

  /** Whether the pod's {@code Ready} condition is {@code True}. */
  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The pod's IPs: {@code status.podIPs}, or {@code status.podIP} alone when that list is empty. */
  public static List<String> ips(Pod pod) {
    List<String> ips = new ArrayList<>();
    if (pod.getStatus() == null) {
      return ips;
    }
    if (pod.getStatus().getPodIPs() != null) {
      pod.getStatus().getPodIPs().stream().map(PodIP::getIp).filter(ip -> ip != null && !ip.isEmpty())
          .forEach(ips::add);
    }
    String ip = pod.getStatus().getPodIP();
    if (ips.isEmpty() && ip != null && !ip.isEmpty()) {
      ips.add(ip);
    }
    return ips;
  }

  /** Whether {@code ip} is an IPv6 address (else IPv4). */
  public static boolean isIPv6(String ip) {
    return ip.indexOf(':') >= 0;
  }

  /** The hostname the pod is known by under {@code service}: spec.hostname when spec.subdomain names it. */
  public static String hostname(Pod pod, Service service) {
    String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
    if (hostname == null || hostname.isEmpty()) {
      return null;
    }
    boolean matches = Objects.equals(pod.getSpec().getSubdomain(), service.getMetadata().getName())
        && Objects.equals(pod.getMetadata().getNamespace(), service.getMetadata().getNamespace());
    return matches ? hostname : null;
  }

  /** The protocol of a service port, defaulted to TCP. */
  public static String protocol(ServicePort port) {
    return port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
  }

  /** The port number {@code port} reaches on {@code pod}, or empty when the pod has no such named port. */
  public static OptionalInt targetPort(Pod pod, ServicePort port) {
    IntOrString target = port.getTargetPort();
    if (target == null || (target.getIntVal() == null && (target.getStrVal() == null || target.getStrVal().isEmpty()))) {
      return port.getPort() == null ? OptionalInt.empty() : OptionalInt.of(port.getPort());
    }
    if (target.getIntVal() != null) {
      return OptionalInt.of(target.getIntVal());
    }
    String name = target.getStrVal();
    String protocol = protocol(port);
    return containers(pod)
        .flatMap(c -> c.getPorts() == null ? Stream.<ContainerPort>empty() : c.getPorts().stream())
        .filter(p -> name.equals(p.getName()) && p.getContainerPort() != null
            && protocol.equals(p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol()))
        .mapToInt(ContainerPort::getContainerPort).findFirst();
  }

  private static Stream<Container> containers(Pod pod) {
    if (pod.getSpec() == null) {
      return Stream.empty();
    }
    Stream<Container> main = pod.getSpec().getContainers() == null ? Stream.empty() : pod.getSpec().getContainers().stream();
    Stream<Container> sidecars = pod.getSpec().getInitContainers() == null ? Stream.empty()
        : pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy()));
    return Stream.concat(main, sidecars);
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
