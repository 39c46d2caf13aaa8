package io.capstan.controllers.scheduler;

import java.util.List;

/**
 * Upstream's NodeResourcesFit score with the LeastAllocated strategy: prefers the node with the
 * most cpu and memory left after placing the pod, {@code (allocatable - requested) * 100 /
 * allocatable} averaged over the two, where requested counts the pod and the node's pods with
 * the non-zero defaults for containers that request nothing.
 */
final class LeastAllocatedScore implements ScorePlugin {
  @Override
  public String name() {
    return "NodeResourcesLeastAllocated";
  }

  @Override
  public int weight() {
    return 1;
  }

  @Override
  public void score(PodInfo pod, List<NodeInfo> nodes, SchedulerCache cluster, long[] scores) {
    for (int i = 0; i < nodes.size(); i++) {
      NodeInfo n = nodes.get(i);
      long cpu = free(n.allocatable().milliCpu, n.nonZeroRequested.milliCpu + pod.nonZeroRequests.milliCpu);
      long mem = free(n.allocatable().memory, n.nonZeroRequested.memory + pod.nonZeroRequests.memory);
      scores[i] = (cpu + mem) / 2;
    }
  }

  static long free(long capacity, long requested) {
    if (capacity <= 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * 100 / capacity;
  }
}
