package io.capstan.controllers.scheduler;

import io.capstan.controllers.meta.Tolerations;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;

/**
 * Upstream's TaintToleration filter: the first NoSchedule or NoExecute taint of the node that the
 * pod does not tolerate rejects the node (PreferNoSchedule taints do not filter).
 */
final class TaintTolerationFilter implements FilterPlugin {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    var spec = node.node().getSpec();
    if (spec == null || spec.getTaints() == null) {
      return List.of();
    }
    for (Taint taint : spec.getTaints()) {
      boolean filtering = Tolerations.NO_SCHEDULE.equals(taint.getEffect())
          || Tolerations.NO_EXECUTE.equals(taint.getEffect());
      if (filtering && !Tolerations.anyTolerates(pod.tolerations, taint)) {
        return List.of("node(s) had untolerated taint {" + taint.getKey() + ": "
            + (taint.getValue() == null ? "" : taint.getValue()) + "}");
      }
    }
    return List.of();
  }
}
