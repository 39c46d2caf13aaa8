package io.capstan.controllers.simulate;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Node objects and node status of simulated nodes: fixed capacity, spread over three zones. */
final class NodeTemplates {
  static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};
  static final String KUBELET_VERSION = "v1.32.0-capstan-sim";

  private NodeTemplates() {}

  /** {@code 10.244.<i>.0/24}, moving to 10.245.x and on past 256 nodes. */
  static String podCidr(int i) {
    return "10." + (244 + i / 256) + "." + (i % 256) + ".0/24";
  }

  /** The InternalIP of node {@code i}. */
  static String internalIp(int i) {
    return "172.30." + (i / 250) + "." + (i % 250 + 2);
  }

  static Map<String, String> labels(String name, int i) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("type", "simulated");
    labels.put("topology.kubernetes.io/zone", ZONES[i % ZONES.length]);
    return labels;
  }

  /** The Node object as registered, status included (the API server ignores status on create). */
  static Node node(String name, int i, Instant now) {
    Map<String, Quantity> capacity = Map.of("cpu", new Quantity("32"), "memory", new Quantity("256Gi"),
        "pods", new Quantity("110"), "ephemeral-storage", new Quantity("1Ti"));
    return new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels(name, i))
          .addToAnnotations("node.alpha.kubernetes.io/ttl", "0").endMetadata()
        .withNewSpec().withPodCIDR(podCidr(i)).withPodCIDRs(podCidr(i)).endSpec()
        .withNewStatus().withCapacity(capacity).withAllocatable(capacity).withPhase("Running")
          .addNewAddress().withType("InternalIP").withAddress(internalIp(i)).endAddress()
          .addNewAddress().withType("Hostname").withAddress(name).endAddress()
          .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
          .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux").withOsImage("capstan simulated node")
            .withKernelVersion("6.1.0-sim").withContainerRuntimeVersion("sim://1.0.0")
            .withKubeletVersion(KUBELET_VERSION).withKubeProxyVersion(KUBELET_VERSION)
            .withMachineID(name).withSystemUUID(name).withBootID(name).endNodeInfo()
          .withConditions(conditions(List.of(), now))
        .endStatus().build();
  }

  /**
   * Healthy conditions with a fresh heartbeat: Ready True (KubeletReady) and the pressure
   * conditions False; lastTransitionTime kept from {@code current} when the status is unchanged.
   */
  static List<NodeCondition> conditions(List<NodeCondition> current, Instant now) {
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> out = new ArrayList<>();
    out.add(condition(current, "MemoryPressure", "False", "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available", ts));
    out.add(condition(current, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", ts));
    out.add(condition(current, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", ts));
    out.add(condition(current, "Ready", "True", "KubeletReady", "kubelet is posting ready status", ts));
    return out;
  }

  private static NodeCondition condition(List<NodeCondition> current, String type, String status, String reason,
      String message, String ts) {
    String transition = current.stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(NodeCondition::getLastTransitionTime).filter(t -> t != null).findFirst().orElse(ts);
    NodeCondition c = new NodeCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastHeartbeatTime(ts);
    c.setLastTransitionTime(transition);
    return c;
  }

  /** Whether {@code node}'s Ready condition says True. */
  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
