package io.capstan.controllers.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod fits no node, in kube-scheduler's FitError wording: {@code 0/N nodes are available:}
 * then each filter reason with the number of nodes that gave it ({@code "2 Insufficient cpu"}),
 * sorted as strings and joined with ", ", then a period; then the preemption part, which, as this
 * scheduler never preempts, counts nodes where evicting pods could have helped as "No preemption
 * victims found for incoming pod" and the others as "Preemption is not helpful for scheduling".
 * With no nodes at all the message is upstream's "no nodes available to schedule pods".
 */
final class FitError {
  static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
  static final String NO_VICTIMS = "No preemption victims found for incoming pod";
  /** Upstream's ErrNoNodesAvailable, when the cluster has no node at all. */
  static final String NO_NODES = "no nodes available to schedule pods";

  private final int nodes;
  private final Map<String, Integer> reasons = new TreeMap<>();
  private int resolvable;
  private int unresolvable;

  FitError(int nodes) {
    this.nodes = nodes;
  }

  /** Records one rejected node: its reasons, and whether preemption could have made room there. */
  void reject(List<String> nodeReasons, boolean resolvableByPreemption) {
    nodeReasons.forEach(r -> reasons.merge(r, 1, Integer::sum));
    if (resolvableByPreemption) {
      resolvable++;
    } else {
      unresolvable++;
    }
  }

  String message() {
    if (nodes == 0) {
      return NO_NODES;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("0/").append(nodes).append(" nodes are available");
    List<String> counted = new ArrayList<>();
    reasons.forEach((reason, count) -> counted.add(count + " " + reason));
    counted.sort(null);
    if (!counted.isEmpty()) {
      sb.append(": ").append(String.join(", ", counted));
    }
    sb.append('.');
    sb.append(" preemption: 0/").append(nodes).append(" nodes are available");
    List<String> preemption = new ArrayList<>();
    if (unresolvable > 0) {
      preemption.add(unresolvable + " " + NOT_HELPFUL);
    }
    if (resolvable > 0) {
      preemption.add(resolvable + " " + NO_VICTIMS);
    }
    preemption.sort(null);
    if (!preemption.isEmpty()) {
      sb.append(": ").append(String.join(", ", preemption));
    }
    sb.append('.');
    return sb.toString();
  }

  @Override
  public String toString() {
    return message();
  }
}
