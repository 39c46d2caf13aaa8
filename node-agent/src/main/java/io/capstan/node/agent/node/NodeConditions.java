package io.capstan.node.agent.node;

import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The node conditions a kubelet posts, with its reasons and messages: MemoryPressure (MemAvailable
 * below 100 MiB, kubelet's default hard eviction threshold), DiskPressure (under 10% of the data
 * dir's filesystem available), PIDPressure (never, for now) and Ready (always True while the agent
 * runs; the node lifecycle controller marks it Unknown when the Lease stops).
 */
final class NodeConditions {
    static final long MEMORY_THRESHOLD = 100L * 1024 * 1024;
    static final List<String> KUBELET_TYPES = List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");

    private NodeConditions() {}

    /** The conditions for {@code m}, transition times kept from {@code current} where the status is the same. */
    static List<NodeCondition> of(MachineInfo m, List<NodeCondition> current, Instant now) {
        String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
        boolean memory = m.memoryBytes() > 0 && m.memoryAvailableBytes() < MEMORY_THRESHOLD;
        boolean disk = m.storageBytes() > 0 && m.storageAvailableBytes() * 10 < m.storageBytes();
        List<NodeCondition> out = new ArrayList<>();
        out.add(memory
                ? condition(current, "MemoryPressure", "True", "KubeletHasInsufficientMemory",
                        "kubelet has insufficient memory available", ts)
                : condition(current, "MemoryPressure", "False", "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available", ts));
        out.add(disk
                ? condition(current, "DiskPressure", "True", "KubeletHasDiskPressure", "kubelet has disk pressure", ts)
                : condition(current, "DiskPressure", "False", "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure", ts));
        out.add(condition(current, "PIDPressure", "False", "KubeletHasSufficientPID",
                "kubelet has sufficient PID available", ts));
        out.add(condition(current, "Ready", "True", "KubeletReady", "kubelet is posting ready status", ts));
        // Conditions others own (NetworkUnavailable, a node problem detector's) stay as they are.
        current.stream().filter(c -> !KUBELET_TYPES.contains(c.getType())).forEach(out::add);
        return out;
    }

    /** Whether two condition lists say the same, heartbeats aside. */
    static boolean sameStatuses(List<NodeCondition> a, List<NodeCondition> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (NodeCondition c : a) {
            boolean found = b.stream().anyMatch(d -> c.getType().equals(d.getType())
                    && c.getStatus().equals(d.getStatus()) && java.util.Objects.equals(c.getReason(), d.getReason()));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static NodeCondition condition(List<NodeCondition> current, String type, String status, String reason,
            String message, String ts) {
        String transition = current.stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(NodeCondition::getLastTransitionTime).filter(t -> t != null).findFirst().orElse(ts);
        return new NodeCondition(ts, transition, message, reason, status, type);
    }
}
