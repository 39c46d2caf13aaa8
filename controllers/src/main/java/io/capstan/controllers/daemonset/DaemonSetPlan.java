package io.capstan.controllers.daemonset;

import io.capstan.controllers.pods.ActivePods;
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
 * What one pass of the DaemonSet controller should create and delete to have the right pods on
 * the right nodes, computed from the caches; pure. Rolling updates are {@link DaemonSetRollout}.
 *
 * <p>{@link #manage}, as upstream's {@code podsShouldBeOnNode}: on an eligible node without a
 * daemon pod, create one; on a node where the pod may stay, delete failed pods (they are replaced
 * on a later pass) and all but the oldest of several; on a node where it may not stay, and for
 * nodes that no longer exist, delete the daemon pods. Terminating pods are left to finish, and a
 * node whose only pod is terminating gets its new pod once it is gone. With maxSurge a node may
 * hold an old and a new pod for a while (see {@code keepOldAndNew}).
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

  static Actions manage(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> podsByNode, String hash,
      Instant now) {
    PodSpec spec = DaemonPods.specWithTolerations(ds);
    boolean surge = DaemonSetRollout.maxSurge(ds, 1) > 0;
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
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
        if (surge) {
          delete.addAll(keepOldAndNew(running, hash, minReady, now));
        } else {
          delete.addAll(running.subList(Math.min(1, running.size()), running.size()));
        }
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

  /**
   * With maxSurge, a node may hold the oldest pod of the current template and the oldest of an
   * older one; the old one goes when it is not ready or the new one has become available. Every
   * other pod goes. Returns the pods to delete of {@code running} (oldest first).
   */
  private static List<Pod> keepOldAndNew(List<Pod> running, String hash, int minReady, Instant now) {
    List<Pod> delete = new ArrayList<>();
    Pod oldestNew = null;
    Pod oldestOld = null;
    for (Pod pod : running) {
      if (DaemonPods.isUpdated(pod, hash) && oldestNew == null) {
        oldestNew = pod;
      } else if (!DaemonPods.isUpdated(pod, hash) && oldestOld == null) {
        oldestOld = pod;
      } else {
        delete.add(pod);
      }
    }
    if (oldestNew != null && oldestOld != null
        && (!ActivePods.isReady(oldestOld) || ActivePods.isAvailable(oldestNew, minReady, now))) {
      delete.add(oldestOld);
    }
    return delete;
  }
}
