package io.capstan.controllers.scheduler;

import io.capstan.controllers.meta.Tolerations;
import java.util.List;

/**
 * Upstream's NodeUnschedulable: a cordoned node ({@code spec.unschedulable: true}) takes only pods
 * that tolerate the {@code node.kubernetes.io/unschedulable:NoSchedule} taint.
 */
final class NodeUnschedulableFilter implements FilterPlugin {
  static final String TAINT = "node.kubernetes.io/unschedulable";
  static final String REASON = "node(s) were unschedulable";

  @Override
  public String name() {
    return "NodeUnschedulable";
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    var spec = node.node().getSpec();
    if (spec == null || !Boolean.TRUE.equals(spec.getUnschedulable())
        || Tolerations.anyTolerates(pod.tolerations, TAINT, "", Tolerations.NO_SCHEDULE)) {
      return List.of();
    }
    return List.of(REASON);
  }
}
