package io.capstan.controllers.pods;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pod states the workload controllers count with, as upstream's {@code controller.FilterActivePods}
 * and {@code podutil.IsPodReady}, and the order in which a ReplicaSet's surplus pods are deleted.
 */
public final class ActivePods {
  /**
   * The deletion order, a simple form of upstream's {@code ActivePods} ranking: first the pods
   * not yet scheduled, then by phase (Pending, Unknown, Running), not ready before ready, ready
   * for the shortest time, most restarts, and the newest.
   */
  public static final Comparator<Pod> DELETE_FIRST = Comparator
      .comparing((Pod p) -> !isUnassigned(p))
      .thenComparingInt(ActivePods::phaseRank)
      .thenComparing(ActivePods::isReady)
      .thenComparing(ActivePods::readySince, Comparator.reverseOrder())
      .thenComparing(ActivePods::restarts, Comparator.reverseOrder())
      .thenComparing(ActivePods::created, Comparator.reverseOrder());

  private ActivePods() {}

  /** Not finished (Succeeded, Failed) and not being deleted: a pod that counts as a replica. */
  public static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return !"Succeeded".equals(phase) && !"Failed".equals(phase)
        && pod.getMetadata().getDeletionTimestamp() == null;
  }

  /** Whether the pod has finished: phase Succeeded or Failed. */
  public static boolean isFinished(Pod pod) {
    String phase = phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Whether the pod is being deleted (it has a deletionTimestamp). */
  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** Phase Running and the Ready condition True, as upstream's {@code isRunningAndReady}. */
  public static boolean isRunningAndReady(Pod pod) {
    return "Running".equals(phase(pod)) && isReady(pod);
  }

  /** Whether the pod's Ready condition is True. */
  public static boolean isReady(Pod pod) {
    return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Ready, and ready for at least {@code minReadySeconds} at {@code now}. */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isReady(pod)) {
      return false;
    }
    return minReadySeconds <= 0 || !readySince(pod).plusSeconds(minReadySeconds).isAfter(now);
  }

  private static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  /** When the pod became ready; {@link Instant#MIN} when it is not ready or does not say. */
  private static Instant readySince(Pod pod) {
    return readyCondition(pod).filter(c -> "True".equals(c.getStatus()))
        .map(c -> parse(c.getLastTransitionTime())).orElse(Instant.MIN);
  }

  private static boolean isUnassigned(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node == null || node.isEmpty();
  }

  private static int phaseRank(Pod pod) {
    String phase = phase(pod);
    if ("Running".equals(phase)) {
      return 2;
    }
    return "Unknown".equals(phase) ? 1 : 0;
  }

  private static int restarts(Pod pod) {
    List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return 0;
    }
    return statuses.stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).max().orElse(0);
  }

  private static Instant created(Pod pod) {
    return parse(pod.getMetadata().getCreationTimestamp());
  }

  /** The pod's phase, or null when it has no status yet. */
  public static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  /** An RFC 3339 timestamp as an Instant; {@link Instant#MIN} for null or unparsable input. */
  public static Instant parse(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return Instant.MIN;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return Instant.MIN;
    }
  }
}
