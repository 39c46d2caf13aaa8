package io.capstan.controllers.daemonset;

import io.capstan.controllers.pods.ActivePods;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pass of the DaemonSet controller should write, computed from the caches; pure.
 *
 * <p>{@link #manage}, as upstream's {@code podsShouldBeOnNode}: on an eligible node without a
 * daemon pod, create one; on a node where the pod may stay, delete failed pods (they are replaced
 * on a later pass) and all but the oldest of several; on a node where it may not stay, and for
 * nodes that no longer exist, delete the daemon pods. Terminating pods are left to finish, and a
 * node whose only pod is terminating gets its new pod once it is gone.
 *
 * <p>{@link #rollingUpdate}, as upstream's {@code rollingUpdate} without surge: old pods that are
 * not available are deleted at once; available old pods are deleted while fewer than {@code
 * maxUnavailable} of the nodes are without an available pod. The manage step then creates the
 * new pods.
 */
final class DaemonSetPlan {
  /** Nodes to create a daemon pod on, and pods to delete. */
  record Actions(List<String> create, List<Pod> delete) {
    boolean isEmpty() {
      return create.isEmpty() && delete.isEmpty();
    }
  }

  static final Comparator<Pod> OLDEST_FIRST = Comparator
      .comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp())
      .thenComparing(p -> p.getMetadata().getName());

  private DaemonSetPlan() {}

  static Actions manage(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> podsByNode) {
    PodSpec spec = DaemonPods.specWithTolerations(ds);
    List<String> create = new ArrayList<>();
    List<Pod> delete = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      known.add(name);
      NodeEligibility.Verdict verdict = NodeEligibility.of(node, spec);
      List<Pod> pods = podsByNode.getOrDefault(name, List.of());
      if (verdict.shouldRun() && pods.isEmpty()) {
        create.add(name);
      } else if (verdict.shouldContinueRunning()) {
        List<Pod> running = new ArrayList<>();
        for (Pod pod : pods) {
          if (ActivePods.isTerminating(pod)) {
            continue;
          }
          if (ActivePods.isFinished(pod)) {
            delete.add(pod);
          } else {
            running.add(pod);
          }
        }
        running.sort(OLDEST_FIRST);
        delete.addAll(running.subList(Math.min(1, running.size()), running.size()));
      } else {
        pods.stream().filter(p -> !ActivePods.isTerminating(p)).forEach(delete::add);
      }
    }
    podsByNode.forEach((node, pods) -> {
      if (!known.contains(node)) {
        pods.stream().filter(p -> !ActivePods.isTerminating(p)).forEach(delete::add);
      }
    });
    return new Actions(create, delete);
  }

  static Actions rollingUpdate(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> podsByNode, String hash,
      Instant now) {
    PodSpec spec = DaemonPods.specWithTolerations(ds);
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    int desired = 0;
    for (Node node : nodes) {
      if (NodeEligibility.of(node, spec).shouldRun()) {
        desired++;
      }
    }
    int maxUnavailable = maxUnavailable(ds, desired);
    int unavailable = 0;
    List<Pod> replaceNow = new ArrayList<>();
    List<Pod> candidates = new ArrayList<>();
    for (Node node : nodes) {
      if (!NodeEligibility.of(node, spec).shouldContinueRunning()) {
        continue;
      }
      List<Pod> pods = podsByNode.getOrDefault(node.getMetadata().getName(), List.of()).stream()
          .filter(p -> !ActivePods.isTerminating(p) && !ActivePods.isFinished(p)).toList();
      if (pods.isEmpty()) {
        continue;
      }
      if (pods.size() > 1) {
        unavailable++; // the manage step deletes the extra pods first
        continue;
      }
      Pod pod = pods.get(0);
      boolean available = ActivePods.isAvailable(pod, minReady, now);
      if (DaemonPods.isUpdated(pod, hash)) {
        if (!available) {
          unavailable++;
        }
      } else if (!available) {
        replaceNow.add(pod);
      } else {
        candidates.add(pod);
      }
    }
    List<Pod> delete = new ArrayList<>(replaceNow);
    int room = Math.max(0, maxUnavailable - unavailable);
    delete.addAll(candidates.subList(0, Math.min(room, candidates.size())));
    return new Actions(List.of(), delete);
  }

  /** {@code maxUnavailable} of {@code desired} nodes: a number, or a percentage rounded up; at least 1. */
  static int maxUnavailable(DaemonSet ds, int desired) {
    var strategy = ds.getSpec().getUpdateStrategy();
    IntOrString value = strategy == null || strategy.getRollingUpdate() == null
        ? null : strategy.getRollingUpdate().getMaxUnavailable();
    int n;
    if (value == null) {
      n = 1;
    } else if (value.getIntVal() != null) {
      n = value.getIntVal();
    } else {
      String s = value.getStrVal() == null ? "" : value.getStrVal().trim();
      try {
        n = s.endsWith("%") ? (int) Math.ceil(Integer.parseInt(s.substring(0, s.length() - 1)) * desired / 100.0)
            : Integer.parseInt(s);
      } catch (NumberFormatException e) {
        n = 1;
      }
    }
    // Upstream refuses maxUnavailable 0 without maxSurge; without surge here, 0 would stall.
    return Math.max(1, n);
  }
}
