package io.capstan.controllers.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream's NodeResourcesFit filter: the node must have room for one more pod ({@code
 * status.allocatable.pods}) and, for every resource the pod requests, allocatable minus what the
 * pods already on it (bound or assumed) request must cover the request. Each shortfall is its own
 * reason: "Too many pods", "Insufficient cpu", "Insufficient memory", ...
 */
final class NodeResourcesFitFilter implements FilterPlugin {
  static final String TOO_MANY_PODS = "Too many pods";

  @Override
  public String name() {
    return "NodeResourcesFit";
  }

  @Override
  public boolean resolvableByPreemption() {
    return true;
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    List<String> reasons = new ArrayList<>(1);
    if (node.pods.size() + 1 > node.allowedPods()) {
      reasons.add(TOO_MANY_PODS);
    }
    Resources want = pod.requests;
    Resources alloc = node.allocatable();
    Resources used = node.requested;
    check(reasons, Resources.CPU, want.milliCpu, alloc.milliCpu, used.milliCpu);
    check(reasons, Resources.MEMORY, want.memory, alloc.memory, used.memory);
    check(reasons, Resources.EPHEMERAL_STORAGE, want.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage);
    for (Map.Entry<String, Long> e : want.scalars.entrySet()) {
      if (!e.getKey().equals(Resources.PODS)) {
        check(reasons, e.getKey(), e.getValue(), alloc.get(e.getKey()), used.get(e.getKey()));
      }
    }
    return reasons;
  }

  private static void check(List<String> reasons, String name, long want, long allocatable, long used) {
    if (want > 0 && want > allocatable - used) {
      reasons.add("Insufficient " + name);
    }
  }
}
