package io.capstan.controllers.job;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.pods.Expectations;
import io.capstan.controllers.pods.PodClaims;
import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The pod writes of the Job controller: create, delete, and release tracking finalizers. */
final class JobPodControl {
  private static final Logger LOG = Logger.getLogger(JobPodControl.class);

  private final KubernetesClient client;
  private final PodClaims claims;
  private final Expectations expectations;
  private final FinalizerRemovals removals;

  JobPodControl(KubernetesClient client, PodClaims claims, Expectations expectations, FinalizerRemovals removals) {
    this.client = client;
    this.claims = claims;
    this.expectations = expectations;
    this.removals = removals;
  }

  /**
   * Upstream's {@code manageJob}: with the job suspended, deletes every active pod; otherwise
   * deletes the surplus over, or creates the shortfall under, {@code min(parallelism, completions
   * - succeeded)} active pods (or {@code parallelism} until the first success, without
   * completions). New pods wait for the failure backoff ({@code backoffLeft}), returned as the
   * time to look again. Updates the active, ready and terminating counts of {@code sync}.
   */
  Duration manage(Request request, JobSync sync, List<Pod> active, Duration backoffLeft) {
    Job job = sync.job;
    if (JobSpecs.suspended(job)) {
      delete(request, sync, active);
      return null;
    }
    Integer completions = JobSpecs.completions(job);
    int parallelism = JobSpecs.parallelism(job);
    int want;
    if (completions == null) {
      want = sync.succeeded > 0 ? active.size() : parallelism;
    } else {
      want = Math.max(0, Math.min(completions - sync.succeeded, parallelism));
    }
    if (sync.completedIndexes != null) {
      List<Pod> misplaced = IndexedPods.misplaced(active, sync.completedIndexes, completions);
      if (!misplaced.isEmpty()) {
        delete(request, sync, misplaced);
        return null;
      }
    }
    if (active.size() > want) {
      List<Pod> surplus = active.stream().sorted(ActivePods.DELETE_FIRST)
          .limit(Math.min(active.size() - want, JobReconciler.BURST)).toList();
      delete(request, sync, surplus);
      return null;
    }
    int diff = want - (JobPods.onlyReplaceFailed(job) ? sync.terminating : 0) - active.size();
    if (diff <= 0) {
      return null;
    }
    if (!backoffLeft.isZero()) {
      return backoffLeft;
    }
    LOG.debugf("creating pods controller=%s namespace=%s name=%s count=%d", JobReconciler.NAME,
        request.namespace(), request.name(), diff);
    int count = Math.min(diff, JobReconciler.BURST);
    List<Integer> indexes = sync.completedIndexes == null ? null
        : IndexedPods.pending(sync.completedIndexes, active, completions, count);
    for (int i = 0; i < (indexes == null ? count : indexes.size()); i++) {
      Pod pod = indexes == null ? JobPods.newPod(job) : IndexedPods.newPod(job, indexes.get(i));
      Pod created = client.pods().inNamespace(request.namespace()).resource(pod).create();
      expectations.expectCreation(request, created.getMetadata().getName());
      sync.active++;
    }
    return null;
  }

  /**
   * Deletes pods the job no longer wants (suspended, surplus): the tracking finalizer goes first,
   * so they are not counted as failed.
   */
  private void delete(Request request, JobSync sync, List<Pod> victims) {
    for (Pod pod : victims) {
      expectations.expectDeletion(request, pod);
      try {
        if (JobPods.hasTrackingFinalizer(pod)) {
          removals.expect(request, pod);
          claims.patch(pod, JobPods.removeFinalizerPatch());
        }
        client.pods().inNamespace(request.namespace()).withName(pod.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        expectations.cancel(request, pod.getMetadata().getName());
        throw e;
      }
      sync.active--;
      sync.terminating++;
      if (ActivePods.isReady(pod)) {
        sync.ready--;
      }
    }
  }

  /**
   * Deletes the active pods of a job that failed or met its success criteria, keeping their
   * finalizers (the tracker counts them and removes the finalizers). Returns how many went.
   */
  int deleteActive(JobSync sync, List<Pod> active) {
    int deleted = 0;
    for (Pod pod : active) {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      deleted++;
      sync.active--;
      sync.terminating++;
      if (ActivePods.isReady(pod)) {
        sync.ready--;
      }
    }
    return deleted;
  }

  /**
   * Removes the tracking finalizer from the pods of the job {@code request} names when that job is
   * finished ({@code job}) or gone ({@code job} null): pods it controlled (by uid when it exists)
   * and pods without a controller that name it in their job-name label. A job missing from the
   * cache is looked up in the API first, so a cache that lags never strips a live job's pods.
   */
  void releaseFinalizers(Request request, Job job, List<Pod> candidates) {
    List<Pod> held = candidates.stream().filter(JobPods::hasTrackingFinalizer)
        .filter(p -> belongs(p, request.name(), job)).toList();
    if (held.isEmpty()) {
      return;
    }
    if (job == null) {
      Job live = client.batch().v1().jobs().inNamespace(request.namespace()).withName(request.name()).get();
      if (live != null && !JobConditions.isFinished(live)) {
        String uid = live.getMetadata().getUid();
        held = held.stream().filter(p -> !OwnerReferences.controllerOf(p).map(OwnerReference::getUid)
            .filter(uid::equals).isPresent()).toList();
      }
    }
    for (Pod pod : held) {
      claims.patch(pod, JobPods.removeFinalizerPatch());
    }
  }

  private static boolean belongs(Pod pod, String jobName, Job job) {
    Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
    if (ref.isEmpty()) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      return labels != null && jobName.equals(labels.get(JobReconciler.JOB_NAME_LABEL));
    }
    OwnerReference r = ref.get();
    if (!OwnerReferences.refersTo(r, "batch", "Job") || !jobName.equals(r.getName())) {
      return false;
    }
    return job == null || job.getMetadata().getUid().equals(r.getUid());
  }
}
