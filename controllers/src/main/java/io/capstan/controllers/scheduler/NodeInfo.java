package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as the scheduler sees it: the Node object (null while only pods name it), what it can
 * allocate, and the pods on it (bound or assumed) with their summed requests, host ports and
 * per-owner counts. Mutated only by {@link SchedulerCache} under its lock.
 */
final class NodeInfo {
  final String name;
  private Node node;
  private Map<String, String> labels = Map.of();
  private Resources allocatable = new Resources();
  final Resources requested = new Resources();
  final Resources nonZeroRequested = new Resources();
  final Map<String, PodInfo> pods = new LinkedHashMap<>();
  final List<HostPort> usedPorts = new ArrayList<>();
  private final Map<String, Integer> ownerCounts = new HashMap<>();

  NodeInfo(String name) {
    this.name = name;
  }

  /** A node with {@code node} and no pods; for tests and the cache. */
  static NodeInfo of(Node node) {
    NodeInfo info = new NodeInfo(node.getMetadata().getName());
    info.setNode(node);
    return info;
  }

  Node node() {
    return node;
  }

  void setNode(Node node) {
    this.node = node;
    this.labels = node == null || node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    this.allocatable = node == null || node.getStatus() == null ? new Resources() : Resources.of(node.getStatus().getAllocatable());
  }

  Map<String, String> labels() {
    return labels;
  }

  Resources allocatable() {
    return allocatable;
  }

  /** status.allocatable pods; a node that does not say allows none, as upstream. */
  long allowedPods() {
    return allocatable.scalars.getOrDefault(Resources.PODS, 0L);
  }

  int ownerCount(String ownerUid) {
    return ownerUid == null ? 0 : ownerCounts.getOrDefault(ownerUid, 0);
  }

  void addPod(PodInfo pod) {
    PodInfo old = pods.put(pod.uid, pod);
    if (old != null) {
      account(old, -1);
    }
    account(pod, 1);
  }

  void removePod(String uid) {
    PodInfo old = pods.remove(uid);
    if (old != null) {
      account(old, -1);
    }
  }

  private void account(PodInfo pod, int sign) {
    if (sign > 0) {
      requested.add(pod.requests);
      nonZeroRequested.add(pod.nonZeroRequests);
      usedPorts.addAll(pod.hostPorts);
    } else {
      requested.subtract(pod.requests);
      nonZeroRequested.subtract(pod.nonZeroRequests);
      pod.hostPorts.forEach(usedPorts::remove);
    }
    if (pod.ownerUid != null) {
      ownerCounts.merge(pod.ownerUid, sign, (a, b) -> a + b == 0 ? null : a + b);
    }
  }
}
