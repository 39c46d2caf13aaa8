package io.capstan.controllers.scheduler;

import java.util.List;

/**
 * A score: how good is each feasible node for the pod, from 0 (worst) to 100 (best)? The
 * scheduler sums each plug-in's scores times its {@link #weight()} and picks the highest total
 * (ties at random). Runs on the scheduling loop thread with the {@link SchedulerCache} lock held.
 */
interface ScorePlugin {
  String name();

  /** The multiplier of this plug-in's scores in the total. */
  int weight();

  /** Writes the score of {@code nodes.get(i)} to {@code scores[i]}, each in 0..100. */
  void score(PodInfo pod, List<NodeInfo> nodes, SchedulerCache cluster, long[] scores);
}
