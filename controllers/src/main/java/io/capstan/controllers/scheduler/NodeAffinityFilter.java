package io.capstan.controllers.scheduler;

import io.capstan.controllers.meta.NodeSelectors;
import java.util.List;

/**
 * Upstream's NodeAffinity filter: the node must satisfy the pod's {@code spec.nodeSelector} and
 * required node affinity, as {@link NodeSelectors} matches them.
 */
final class NodeAffinityFilter implements FilterPlugin {
  static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    return matches(pod, node) ? List.of() : List.of(REASON);
  }

  static boolean matches(PodInfo pod, NodeInfo node) {
    return NodeSelectors.matches(pod.pod.getSpec(), node.name, node.labels());
  }
}
