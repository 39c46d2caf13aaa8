package io.capstan.controllers.job;

import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.pods.PodTemplates;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the Job controller reads from and writes to its pods, as upstream's job controller. */
final class JobPods {
  /**
   * Kept on every pod of a job until the controller has counted the pod's end in the job's
   * status, so a finished pod cannot vanish (deleted by hand, by garbage collection) uncounted.
   */
  static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

  private JobPods() {}

  static boolean hasTrackingFinalizer(Pod pod) {
    List<String> f = pod.getMetadata().getFinalizers();
    return f != null && f.contains(TRACKING_FINALIZER);
  }

  static boolean isSucceeded(Pod pod) {
    return "Succeeded".equals(ActivePods.phase(pod));
  }

  /**
   * Whether {@code pod} counts as a failure: phase Failed or, unless the job replaces only failed
   * pods ({@code podReplacementPolicy: Failed}), deleted before it succeeded.
   */
  static boolean isFailed(Pod pod, Job job) {
    if ("Failed".equals(ActivePods.phase(pod))) {
      return true;
    }
    if (onlyReplaceFailed(job)) {
      return false;
    }
    return pod.getMetadata().getDeletionTimestamp() != null && !isSucceeded(pod);
  }

  /** Being deleted and not finished: upstream's CountTerminatingPods. */
  static boolean isTerminating(Pod pod) {
    String phase = ActivePods.phase(pod);
    return pod.getMetadata().getDeletionTimestamp() != null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  static boolean onlyReplaceFailed(Job job) {
    return "Failed".equals(job.getSpec().getPodReplacementPolicy()) || job.getSpec().getPodFailurePolicy() != null;
  }

  /** A new pod for {@code job}: the template plus the tracking finalizer, named {@code <job>-<random>}. */
  static Pod newPod(Job job) {
    return PodTemplates.newPod(job, trackedTemplate(job), job.getMetadata().getName() + "-");
  }

  /** A private copy of the job's pod template with the tracking finalizer added. */
  static PodTemplateSpec trackedTemplate(Job job) {
    PodTemplateSpec template = new PodTemplateSpecBuilder(job.getSpec().getTemplate()).editOrNewMetadata()
        .endMetadata().build();
    List<String> finalizers = new ArrayList<>(template.getMetadata().getFinalizers() == null ? List.of()
        : template.getMetadata().getFinalizers());
    if (!finalizers.contains(TRACKING_FINALIZER)) {
      finalizers.add(TRACKING_FINALIZER);
    }
    template.getMetadata().setFinalizers(finalizers);
    return template;
  }

  /** The strategic merge patch that removes the tracking finalizer and nothing else. */
  static Map<String, Object> removeFinalizerPatch() {
    return Map.of("metadata", Map.of("$deleteFromPrimitiveList/finalizers", List.of(TRACKING_FINALIZER)));
  }

  /**
   * When {@code pod} finished: the latest container termination, else its Ready condition's last
   * transition, else {@code now}. Used for the pod-failure backoff.
   */
  static Instant finishTime(Pod pod, Instant now) {
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      Instant latest = pod.getStatus().getContainerStatuses().stream()
          .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
          .map(s -> ActivePods.parse(s.getState().getTerminated().getFinishedAt()))
          .max(Instant::compareTo).orElse(Instant.MIN);
      if (!latest.equals(Instant.MIN)) {
        return latest;
      }
    }
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("Ready".equals(c.getType()) && c.getLastTransitionTime() != null) {
          Instant t = ActivePods.parse(c.getLastTransitionTime());
          if (!t.equals(Instant.MIN)) {
            return t;
          }
        }
      }
    }
    return now;
  }

  /**
   * With {@code restartPolicy: OnFailure}, whether the container restarts of the running and
   * pending pods reach the backoff limit (any restart, for a limit of 0), as upstream's {@code
   * pastBackoffLimitOnFailure}.
   */
  static boolean pastBackoffLimitOnFailure(Job job, List<Pod> pods) {
    if (!"OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())) {
      return false;
    }
    long restarts = 0;
    for (Pod pod : pods) {
      String phase = ActivePods.phase(pod);
      if (pod.getStatus() == null || !("Running".equals(phase) || "Pending".equals(phase))) {
        continue;
      }
      restarts += Stream.concat(stream(pod.getStatus().getInitContainerStatuses()),
          stream(pod.getStatus().getContainerStatuses()))
          .mapToLong(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    }
    int limit = JobSpecs.backoffLimit(job);
    return limit == 0 ? restarts > 0 : restarts >= limit;
  }

  private static Stream<ContainerStatus> stream(List<ContainerStatus> list) {
    return list == null ? Stream.empty() : list.stream();
  }
}
