package io.capstan.controllers.scheduler;

import io.capstan.controllers.meta.Tolerations;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.List;

/**
 * A node whose Ready condition is not True takes only pods that tolerate the {@code
 * node.kubernetes.io/not-ready:NoSchedule} taint. Upstream gets the same effect from the taint the
 * node lifecycle controller puts on such nodes, so the reason reads as that taint's.
 */
final class NodeReadyFilter implements FilterPlugin {
  static final String TAINT = "node.kubernetes.io/not-ready";
  static final String REASON = "node(s) had untolerated taint {" + TAINT + ": }";

  @Override
  public String name() {
    return "NodeReady";
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    if (ready(node) || Tolerations.anyTolerates(pod.tolerations, TAINT, "", Tolerations.NO_SCHEDULE)) {
      return List.of();
    }
    return List.of(REASON);
  }

  static boolean ready(NodeInfo node) {
    var status = node.node().getStatus();
    if (status == null || status.getConditions() == null) {
      return false;
    }
    for (NodeCondition c : status.getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }
}
