package io.capstan.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * The state of one pass over one job, as upstream's {@code syncJobCtx}: the job (a private copy
 * whose status the pass edits), its pods, and the counts derived from them.
 */
final class JobSync {
  final Job job;
  final JobStatus status;
  final List<Pod> pods;
  final Set<String> expectedRemovals;
  final Set<String> uncountedSucceeded;
  final Set<String> uncountedFailed;
  int active;
  int ready;
  int terminating;
  /** Succeeded and failed pods including those not yet in the counters. */
  int succeeded;
  int failed;
  /** Upstream's finishedCondition: the condition the job is heading to, or null. */
  JobCondition finished;
  /** Indexed jobs: the completed indexes; null for NonIndexed jobs. */
  SortedSet<Integer> completedIndexes;
  FailureBackoff.Record backoff;

  JobSync(Job job, List<Pod> pods, Set<String> expectedRemovals) {
    this.job = job;
    if (job.getStatus() == null) {
      job.setStatus(new JobStatus());
    }
    this.status = job.getStatus();
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    this.pods = pods;
    this.expectedRemovals = expectedRemovals;
    UncountedTerminatedPods u = status.getUncountedTerminatedPods();
    this.uncountedSucceeded = new LinkedHashSet<>(u == null || u.getSucceeded() == null ? List.of() : u.getSucceeded());
    this.uncountedFailed = new LinkedHashSet<>(u == null || u.getFailed() == null ? List.of() : u.getFailed());
  }

  /** Pods that still carry the tracking finalizer and whose removal is not already on its way. */
  boolean tracked(Pod pod) {
    return JobPods.hasTrackingFinalizer(pod) && !expectedRemovals.contains(pod.getMetadata().getUid());
  }

  /** Finished pods not yet counted nor in uncountedTerminatedPods (upstream's getNewFinishedPods). */
  List<Pod> newSucceeded() {
    return pods.stream().filter(p -> tracked(p) && !uncountedSucceeded.contains(p.getMetadata().getUid())
        && JobPods.isSucceeded(p)).toList();
  }

  List<Pod> newFailed() {
    return pods.stream().filter(p -> tracked(p) && !uncountedFailed.contains(p.getMetadata().getUid())
        && JobPods.isFailed(p, job)).toList();
  }

  int counted(Integer n) {
    return n == null ? 0 : n;
  }

  /**
   * Moves the uids in uncountedTerminatedPods whose pods no longer carry the finalizer (removed,
   * or gone) into the succeeded and failed counters; returns whether anything moved.
   */
  boolean countRemoved(Set<String> withFinalizer) {
    int s = uncountedSucceeded.size();
    int f = uncountedFailed.size();
    uncountedSucceeded.retainAll(withFinalizer);
    uncountedFailed.retainAll(withFinalizer);
    status.setSucceeded(nullIfZero(counted(status.getSucceeded()) + s - uncountedSucceeded.size()));
    status.setFailed(nullIfZero(counted(status.getFailed()) + f - uncountedFailed.size()));
    return s != uncountedSucceeded.size() || f != uncountedFailed.size();
  }

  /** Writes the uncounted sets back into the status object. */
  void storeUncounted() {
    status.setUncountedTerminatedPods(new UncountedTerminatedPods(
        uncountedFailed.isEmpty() ? null : List.copyOf(uncountedFailed),
        uncountedSucceeded.isEmpty() ? null : List.copyOf(uncountedSucceeded)));
  }

  static Integer nullIfZero(int n) {
    return n == 0 ? null : n;
  }
}
