package io.capstan.controllers.daemonset;

import io.capstan.controllers.meta.NodeSelectors;
import io.capstan.controllers.meta.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;

/**
 * Whether a DaemonSet's pod belongs on a node, as upstream's {@code NodeShouldRunDaemonPod}: the
 * pod (with the daemon tolerations added) must fit the node's name ({@code spec.nodeName}), its
 * labels ({@code nodeSelector} and the required node affinity) and its taints. A pod that does
 * not tolerate a NoSchedule taint is not started there but one already running may stay; a
 * NoExecute taint, or a selector that stops matching, removes it. Pure.
 */
final class NodeEligibility {
  /**
   * @param shouldRun a daemon pod should be created on the node
   * @param shouldContinueRunning a daemon pod already on the node may stay
   */
  record Verdict(boolean shouldRun, boolean shouldContinueRunning) {}

  private NodeEligibility() {}

  static Verdict of(Node node, PodSpec spec) {
    String name = node.getMetadata().getName();
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty() && !spec.getNodeName().equals(name)) {
      return new Verdict(false, false);
    }
    if (!NodeSelectors.matches(spec, name, node.getMetadata().getLabels())) {
      return new Verdict(false, false);
    }
    boolean run = true;
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
        ? List.of() : node.getSpec().getTaints();
    for (Taint taint : taints) {
      boolean noExecute = "NoExecute".equals(taint.getEffect());
      if (!noExecute && !"NoSchedule".equals(taint.getEffect())) {
        continue;
      }
      if (!Tolerations.anyTolerates(spec.getTolerations(), taint)) {
        if (noExecute) {
          return new Verdict(false, false);
        }
        run = false;
      }
    }
    return new Verdict(run, true);
  }
}
