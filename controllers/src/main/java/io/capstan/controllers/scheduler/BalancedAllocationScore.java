package io.capstan.controllers.scheduler;

import java.util.List;

/**
 * Upstream's NodeResourcesBalancedAllocation: prefers the node whose cpu and memory would be used
 * in the most even proportion after placing the pod: {@code (1 - stddev(cpuFraction,
 * memoryFraction)) * 100}, each fraction capped at 1.
 */
final class BalancedAllocationScore implements ScorePlugin {
  @Override
  public String name() {
    return "NodeResourcesBalancedAllocation";
  }

  @Override
  public int weight() {
    return 1;
  }

  @Override
  public void score(PodInfo pod, List<NodeInfo> nodes, SchedulerCache cluster, long[] scores) {
    for (int i = 0; i < nodes.size(); i++) {
      NodeInfo n = nodes.get(i);
      double cpu = fraction(n.nonZeroRequested.milliCpu + pod.nonZeroRequests.milliCpu, n.allocatable().milliCpu);
      double mem = fraction(n.nonZeroRequested.memory + pod.nonZeroRequests.memory, n.allocatable().memory);
      double stddev = Math.abs(cpu - mem) / 2;
      scores[i] = (long) ((1 - stddev) * 100);
    }
  }

  static double fraction(long requested, long capacity) {
    if (capacity <= 0) {
      return 1;
    }
    return Math.min(1.0, (double) requested / capacity);
  }
}
