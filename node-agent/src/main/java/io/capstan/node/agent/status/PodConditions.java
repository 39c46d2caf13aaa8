package io.capstan.node.agent.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod conditions kubelet owns, in kubelet's order: PodReadyToStartContainers (the sandbox is
 * up), Initialized (every init container exited 0; else ContainersNotInitialized), Ready and
 * ContainersReady (every app container ready; else ContainersNotReady, or PodCompleted once the pod
 * Succeeded) and PodScheduled (kept True). Transition times are kept while a status stays.
 */
public final class PodConditions {
    private PodConditions() {}

    public static List<PodCondition> of(List<PodCondition> current, boolean sandboxReady, List<ContainerStatus> init,
            List<ContainerStatus> app, String phase, Instant now) {
        List<PodCondition> out = new ArrayList<>();
        out.add(condition(current, "PodReadyToStartContainers", sandboxReady, null, null, now));
        List<String> incomplete = init.stream().filter(s -> s.getState().getTerminated() == null
                || s.getState().getTerminated().getExitCode() != 0).map(ContainerStatus::getName).toList();
        out.add(condition(current, "Initialized", incomplete.isEmpty(), "ContainersNotInitialized",
                "containers with incomplete status: " + names(incomplete), now));
        List<String> unready = app.stream().filter(s -> !Boolean.TRUE.equals(s.getReady()))
                .map(ContainerStatus::getName).toList();
        boolean ready = unready.isEmpty() && !app.isEmpty();
        String reason = "Succeeded".equals(phase) ? "PodCompleted" : "ContainersNotReady";
        String message = "Succeeded".equals(phase) ? null : "containers with unready status: " + names(unready);
        out.add(condition(current, "Ready", ready, reason, message, now));
        out.add(condition(current, "ContainersReady", ready, reason, message, now));
        out.add(condition(current, "PodScheduled", true, null, null, now));
        return out;
    }

    private static String names(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    private static PodCondition condition(List<PodCondition> current, String type, boolean status, String reason,
            String message, Instant now) {
        String value = status ? "True" : "False";
        String transition = current.stream().filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime).filter(t -> t != null).findFirst()
                .orElse(Times.format(now));
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(value);
        c.setLastTransitionTime(transition);
        if (!status) {
            c.setReason(reason);
            c.setMessage(message);
        }
        return c;
    }
}
