package io.capstan.controllers.job;

import io.capstan.controllers.pods.PodClaims;
import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts finished pods into a job's status and removes their tracking finalizers, in upstream's
 * order ({@code trackJobStatusAndRemoveFinalizers}): first the uids of newly finished pods go to
 * {@code status.uncountedTerminatedPods} (written), then their finalizers are removed, then the
 * uids move to {@code succeeded}/{@code failed} (written). A crash between the steps leaves the
 * pods in the uncounted lists, never counted twice nor lost. Last, the terminal condition
 * (Complete or Failed) is added once nothing is uncounted and no pod is terminating.
 *
 * <p>Each status write is a JSON merge patch of the whole status to {@code /status} carrying the
 * resourceVersion the pass read, so a pass working from a stale job fails (409) and is retried.
 */
final class JobTracker {
  /** As upstream's MaxUncountedPods: keeps the uid lists (and a pass) bounded. */
  static final int MAX_UNCOUNTED = 500;
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final PodClaims claims;
  private final FinalizerRemovals removals;
  private final FailureBackoff backoff;
  private final Clock clock;

  JobTracker(KubernetesClient client, PodClaims claims, FinalizerRemovals removals, FailureBackoff backoff,
      Clock clock) {
    this.client = client;
    this.claims = claims;
    this.removals = removals;
    this.backoff = backoff;
    this.clock = clock;
  }

  /** Tracks finished pods and writes the status when it differs from {@code stored}. */
  void track(Request request, JobSync sync, JobStatus stored) {
    Set<String> withFinalizer = new HashSet<>();
    sync.pods.stream().filter(sync::tracked).forEach(p -> withFinalizer.add(p.getMetadata().getUid()));
    sync.countRemoved(withFinalizer);
    boolean failing = sync.finished != null && !JobConditions.SUCCESS_CRITERIA_MET.equals(sync.finished.getType());
    List<Pod> toRemove = new ArrayList<>();
    boolean capped = false;
    for (Pod pod : sync.pods) {
      if (!sync.tracked(pod)) {
        continue;
      }
      boolean failed = JobPods.isFailed(pod, sync.job);
      boolean removable = sync.job.getMetadata().getDeletionTimestamp() != null || sync.finished != null
          || JobPods.isSucceeded(pod) || failed;
      if (!removable) {
        continue;
      }
      toRemove.add(pod);
      String uid = pod.getMetadata().getUid();
      if (JobPods.isSucceeded(pod) && !sync.uncountedFailed.contains(uid)) {
        if (sync.completedIndexes == null) {
          sync.uncountedSucceeded.add(uid);
        }
      } else if (failed || failing) {
        sync.uncountedFailed.add(uid);
      }
      if (sync.uncountedSucceeded.size() + sync.uncountedFailed.size() >= MAX_UNCOUNTED) {
        capped = true;
        break;
      }
    }
    sync.storeUncounted();
    if (sync.completedIndexes != null) {
      // Indexed jobs count successes by index, not by pod uid.
      sync.status.setCompletedIndexes(IndexedPods.format(sync.completedIndexes));
      sync.status.setSucceeded(JobSync.nullIfZero(sync.completedIndexes.size()));
    }
    if (sync.finished != null && JobConditions.FAILURE_TARGET.equals(sync.finished.getType())) {
      sync.status.getConditions().add(sync.finished);
      sync.finished = JobConditions.condition(JobConditions.FAILED, "True", sync.finished.getReason(),
          sync.finished.getMessage(), clock.instant());
    } else if (sync.finished != null && JobConditions.SUCCESS_CRITERIA_MET.equals(sync.finished.getType())) {
      if (!JobConditions.isTrue(sync.status.getConditions(), JobConditions.SUCCESS_CRITERIA_MET)) {
        sync.status.getConditions().add(sync.finished);
      }
      sync.finished = JobConditions.condition(JobConditions.COMPLETE, "True", sync.finished.getReason(),
          sync.finished.getMessage(), clock.instant());
    }
    Map<String, Object> written = JobStatuses.patch(stored == null ? new JobStatus() : stored);
    if (!JobStatuses.patch(sync.status).equals(written)) {
      written = write(sync);
    }
    backoff.store(request, sync.backoff);
    KubernetesClientException failure = null;
    for (Pod pod : toRemove) {
      removals.expect(request, pod);
      try {
        claims.patch(pod, JobPods.removeFinalizerPatch());
        withFinalizer.remove(pod.getMetadata().getUid());
      } catch (KubernetesClientException e) {
        removals.cancel(request, pod);
        failure = e;
      }
    }
    sync.countRemoved(withFinalizer);
    sync.storeUncounted();
    if (failure == null && !capped && sync.finished != null && sync.uncountedSucceeded.isEmpty()
        && sync.uncountedFailed.isEmpty() && sync.terminating == 0) {
      JobConditions.ensure(sync.status.getConditions(), sync.finished.getType(), "True", sync.finished.getReason(),
          sync.finished.getMessage(), clock.instant());
      if (JobConditions.COMPLETE.equals(sync.finished.getType())) {
        sync.status.setCompletionTime(JobConditions.find(sync.status.getConditions(), JobConditions.COMPLETE)
            .orElseThrow().getLastTransitionTime());
      }
    }
    if (!JobStatuses.patch(sync.status).equals(written)) {
      write(sync);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Writes the status of {@code sync}; returns what was written. */
  private Map<String, Object> write(JobSync sync) {
    Job job = sync.job;
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("resourceVersion", job.getMetadata().getResourceVersion());
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", meta);
    Map<String, Object> status = JobStatuses.patch(sync.status);
    patch.put("status", status);
    Job updated = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName()).subresource("status")
        .patch(MERGE, client.getKubernetesSerialization().asJson(patch));
    job.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    return status;
  }
}
