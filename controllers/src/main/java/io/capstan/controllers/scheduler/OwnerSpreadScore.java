package io.capstan.controllers.scheduler;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads the pods of one controller (same controller ownerReference) across nodes and zones, as
 * upstream's former SelectorSpread: a node scores {@code 100 * (max - count) / max} where count is
 * the owner's pods on it and max the largest count among the candidates; when nodes carry the
 * {@code topology.kubernetes.io/zone} label, the same is computed per zone and weighs two thirds of
 * a zoned node's score. Pods without a controller score every node alike.
 */
final class OwnerSpreadScore implements ScorePlugin {
  static final String ZONE = "topology.kubernetes.io/zone";

  @Override
  public String name() {
    return "OwnerSpread";
  }

  @Override
  public int weight() {
    return 2;
  }

  @Override
  public void score(PodInfo pod, List<NodeInfo> nodes, SchedulerCache cluster, long[] scores) {
    if (pod.ownerUid == null) {
      Arrays.fill(scores, 0, nodes.size(), 100);
      return;
    }
    int maxNode = 0;
    Map<String, Integer> perZone = new HashMap<>();
    for (NodeInfo n : cluster.nodes()) {
      int count = n.ownerCount(pod.ownerUid);
      String zone = n.labels().get(ZONE);
      if (zone != null) {
        perZone.merge(zone, count, Integer::sum);
      }
    }
    for (NodeInfo n : nodes) {
      maxNode = Math.max(maxNode, n.ownerCount(pod.ownerUid));
    }
    int maxZone = 0;
    for (NodeInfo n : nodes) {
      String zone = n.labels().get(ZONE);
      if (zone != null) {
        maxZone = Math.max(maxZone, perZone.get(zone));
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      NodeInfo n = nodes.get(i);
      double nodeScore = maxNode == 0 ? 100 : 100.0 * (maxNode - n.ownerCount(pod.ownerUid)) / maxNode;
      String zone = n.labels().get(ZONE);
      if (zone != null && !perZone.isEmpty()) {
        double zoneScore = maxZone == 0 ? 100 : 100.0 * (maxZone - perZone.get(zone)) / maxZone;
        nodeScore = nodeScore / 3 + zoneScore * 2 / 3;
      }
      scores[i] = Math.round(nodeScore);
    }
  }
}
