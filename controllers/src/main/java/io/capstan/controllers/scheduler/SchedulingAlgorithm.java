package io.capstan.controllers.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One scheduling pass for one pod: every node through the filters (in order, the first that
 * rejects a node decides its reasons), the survivors through the weighted scores, the highest
 * total wins, ties broken at random so that equal nodes share the load. Call with the cache lock
 * held.
 */
final class SchedulingAlgorithm {
  private final List<FilterPlugin> filters;
  private final List<ScorePlugin> scores;

  SchedulingAlgorithm(List<FilterPlugin> filters, List<ScorePlugin> scores) {
    this.filters = List.copyOf(filters);
    this.scores = List.copyOf(scores);
  }

  /** kube-scheduler's default filters and scores, as far as capstan implements them. */
  static SchedulingAlgorithm defaults() {
    return new SchedulingAlgorithm(
        List.of(new NodeReadyFilter(), new NodeUnschedulableFilter(), new TaintTolerationFilter(),
            new NodeAffinityFilter(), new NodePortsFilter(), new NodeResourcesFitFilter(),
            new PodAntiAffinityFilter()),
        List.of(new LeastAllocatedScore(), new BalancedAllocationScore(), new OwnerSpreadScore()));
  }

  /** Where the pod goes: a node name, or the reasons it fits nowhere. */
  record Decision(String node, FitError error) {}

  Decision schedule(PodInfo pod, SchedulerCache cache) {
    List<NodeInfo> all = cache.nodes();
    List<NodeInfo> feasible = new ArrayList<>(all.size());
    FitError error = new FitError(all.size());
    for (NodeInfo node : all) {
      List<String> reasons = List.of();
      FilterPlugin failed = null;
      for (FilterPlugin f : filters) {
        reasons = f.filter(pod, node, cache);
        if (!reasons.isEmpty()) {
          failed = f;
          break;
        }
      }
      if (failed == null) {
        feasible.add(node);
      } else {
        error.reject(reasons, failed.resolvableByPreemption());
      }
    }
    if (feasible.isEmpty()) {
      return new Decision(null, error);
    }
    if (feasible.size() == 1) {
      return new Decision(feasible.get(0).name, null);
    }
    long[] total = new long[feasible.size()];
    long[] one = new long[feasible.size()];
    for (ScorePlugin s : scores) {
      s.score(pod, feasible, cache, one);
      for (int i = 0; i < one.length; i++) {
        total[i] += Math.max(0, Math.min(100, one[i])) * s.weight();
      }
    }
    int best = 0;
    int ties = 1;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 1; i < total.length; i++) {
      if (total[i] > total[best]) {
        best = i;
        ties = 1;
      } else if (total[i] == total[best] && random.nextInt(++ties) == 0) {
        best = i;
      }
    }
    return new Decision(feasible.get(best).name, null);
  }
}
