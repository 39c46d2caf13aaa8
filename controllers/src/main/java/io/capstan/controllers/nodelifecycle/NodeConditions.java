package io.capstan.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The node conditions this controller reads and writes. */
final class NodeConditions {
  /** The conditions a kubelet posts, which all go Unknown when it stops. */
  static final List<String> KUBELET_TYPES = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
  static final String UNKNOWN_REASON = "NodeStatusUnknown";
  static final String UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
  static final String NEVER_REASON = "NodeStatusNeverUpdated";
  static final String NEVER_MESSAGE = "Kubelet never posted node status.";

  private NodeConditions() {}

  static List<NodeCondition> of(Node node) {
    return node.getStatus() == null || node.getStatus().getConditions() == null ? List.of()
        : node.getStatus().getConditions();
  }

  /** The status of condition {@code type}, or null when absent. */
  static String status(List<NodeCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).map(NodeCondition::getStatus)
        .findFirst().orElse(null);
  }

  /** The Ready condition's lastHeartbeatTime, or null. */
  static String readyHeartbeat(Node node) {
    return of(node).stream().filter(c -> "Ready".equals(c.getType())).map(NodeCondition::getLastHeartbeatTime)
        .findFirst().orElse(null);
  }

  /** Whether every kubelet condition is present and Unknown. */
  static boolean allUnknown(List<NodeCondition> conditions) {
    return KUBELET_TYPES.stream().allMatch(t -> "Unknown".equals(status(conditions, t)));
  }

  /**
   * {@code current} with every kubelet condition Unknown (NodeStatusUnknown; NodeStatusNeverUpdated
   * for one never posted), heartbeats kept, transition time {@code now} where the status changes.
   */
  static List<NodeCondition> unknown(List<NodeCondition> current, Instant now) {
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> out = new ArrayList<>();
    for (NodeCondition c : current) {
      if (!KUBELET_TYPES.contains(c.getType()) || "Unknown".equals(c.getStatus())) {
        out.add(c);
        continue;
      }
      out.add(new NodeCondition(c.getLastHeartbeatTime(), ts, UNKNOWN_MESSAGE, UNKNOWN_REASON, "Unknown", c.getType()));
    }
    for (String type : KUBELET_TYPES) {
      if (status(current, type) == null) {
        out.add(new NodeCondition(ts, ts, NEVER_MESSAGE, NEVER_REASON, "Unknown", type));
      }
    }
    return out;
  }
}
