package io.capstan.controllers.daemonset;

import io.capstan.controllers.pods.ActivePods;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a DaemonSet's RollingUpdate, as upstream's {@code rollingUpdate}; pure. It runs in
 * a pass in which {@link DaemonSetPlan#manage} had nothing to do.
 *
 * <ul>
 *   <li>Without maxSurge: old pods that are not available are deleted at once; available old pods
 *       are deleted while fewer than {@code maxUnavailable} nodes are without an available pod.
 *       The manage step then creates the new pods.
 *   <li>With maxSurge: a new pod is created beside the old one on up to {@code maxSurge} nodes at
 *       a time (at once where the old pod is not available); once the new pod is available the
 *       old one is deleted.
 * </ul>
 */
final class DaemonSetRollout {
  private DaemonSetRollout() {}

  static DaemonSetPlan.Actions step(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> podsByNode, String hash,
      Instant now) {
    PodSpec spec = DaemonPods.specWithTolerations(ds);
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    int desired = 0;
    List<Node> staying = new ArrayList<>();
    for (Node node : nodes) {
      NodeEligibility.Verdict v = NodeEligibility.of(node, spec);
      if (v.shouldRun()) {
        desired++;
      }
      if (v.shouldContinueRunning()) {
        staying.add(node);
      }
    }
    int maxSurge = maxSurge(ds, desired);
    int maxUnavailable = maxUnavailable(ds, desired);
    int busy = 0;
    List<Pod> deleteNow = new ArrayList<>();
    List<Pod> deleteIfRoom = new ArrayList<>();
    List<String> createNow = new ArrayList<>();
    List<String> createIfRoom = new ArrayList<>();
    for (Node node : staying) {
      String name = node.getMetadata().getName();
      List<Pod> pods = podsByNode.getOrDefault(name, List.of()).stream()
          .filter(p -> !ActivePods.isTerminating(p) && !ActivePods.isFinished(p)).toList();
      List<Pod> fresh = pods.stream().filter(p -> DaemonPods.isUpdated(p, hash)).toList();
      List<Pod> old = pods.stream().filter(p -> !DaemonPods.isUpdated(p, hash)).toList();
      if (fresh.size() > 1 || old.size() > 1 || (maxSurge == 0 && pods.size() > 1)) {
        busy++; // the manage step removes the extra pods first
        continue;
      }
      Pod newPod = fresh.isEmpty() ? null : fresh.get(0);
      Pod oldPod = old.isEmpty() ? null : old.get(0);
      if (maxSurge > 0) {
        if (oldPod == null) {
          continue;
        }
        if (newPod == null) {
          if (!ActivePods.isAvailable(oldPod, minReady, now)) {
            createNow.add(name);
          } else if (busy < maxSurge) {
            busy++;
            createNow.add(name);
          } else {
            createIfRoom.add(name);
          }
        } else if (!ActivePods.isAvailable(newPod, minReady, now)) {
          busy++;
        } else {
          deleteNow.add(oldPod);
        }
        continue;
      }
      if (newPod != null) {
        if (!ActivePods.isAvailable(newPod, minReady, now)) {
          busy++;
        }
      } else if (oldPod != null) {
        if (!ActivePods.isAvailable(oldPod, minReady, now)) {
          deleteNow.add(oldPod);
        } else {
          deleteIfRoom.add(oldPod);
        }
      }
    }
    int room = Math.max(0, (maxSurge > 0 ? maxSurge : maxUnavailable) - busy);
    List<Pod> delete = new ArrayList<>(deleteNow);
    delete.addAll(deleteIfRoom.subList(0, Math.min(room, deleteIfRoom.size())));
    List<String> create = new ArrayList<>(createNow);
    create.addAll(createIfRoom.subList(0, Math.min(room, createIfRoom.size())));
    return new DaemonSetPlan.Actions(create, delete);
  }

  /** {@code maxSurge} of {@code desired} nodes (percentages round up); 0 without RollingUpdate. */
  static int maxSurge(DaemonSet ds, int desired) {
    var strategy = ds.getSpec().getUpdateStrategy();
    if (!isRollingUpdate(ds) || strategy == null || strategy.getRollingUpdate() == null) {
      return 0;
    }
    return Math.max(0, scaled(strategy.getRollingUpdate().getMaxSurge(), desired, 0));
  }

  /**
   * {@code maxUnavailable} of {@code desired} nodes (percentages round up), default 1; at least 1
   * without surge, as upstream's validation refuses both being 0.
   */
  static int maxUnavailable(DaemonSet ds, int desired) {
    var strategy = ds.getSpec().getUpdateStrategy();
    IntOrString value = strategy == null || strategy.getRollingUpdate() == null
        ? null : strategy.getRollingUpdate().getMaxUnavailable();
    return Math.max(1, scaled(value, desired, 1));
  }

  static boolean isRollingUpdate(DaemonSet ds) {
    var strategy = ds.getSpec().getUpdateStrategy();
    return strategy == null || strategy.getType() == null || "RollingUpdate".equals(strategy.getType());
  }

  private static int scaled(IntOrString value, int total, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal() == null ? "" : value.getStrVal().trim();
    try {
      return s.endsWith("%") ? (int) Math.ceil(Integer.parseInt(s.substring(0, s.length() - 1)) * total / 100.0)
          : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
