package io.capstan.node.agent.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The pod conditions kubelet owns, in kubelet's order: PodReadyToStartContainers (the sandbox is
 * up), Initialized (every init container exited 0 and every sidecar started, or some app container
 * has run; else ContainersNotInitialized), Ready and ContainersReady (every app container and
 * sidecar ready; else ContainersNotReady, or PodCompleted / PodFailed once the pod is terminal) and
 * PodScheduled (kept True). Transition times are kept while a status stays.
 */
public final class PodConditions {
    private PodConditions() {}

    public static List<PodCondition> of(List<PodCondition> current, boolean sandboxReady, List<ContainerStatus> init,
            List<ContainerStatus> app, String phase, Instant now) {
        return of(current, sandboxReady, init, app, Set.of(), phase, now);
    }

    /** As above, with the named init containers being sidecars. */
    public static List<PodCondition> of(List<PodCondition> current, boolean sandboxReady, List<ContainerStatus> init,
            List<ContainerStatus> app, Set<String> sidecars, String phase, Instant now) {
        List<PodCondition> out = new ArrayList<>();
        out.add(condition(current, "PodReadyToStartContainers", sandboxReady, null, null, now));
        List<String> incomplete = init.stream().filter(s -> sidecars.contains(s.getName())
                ? !Boolean.TRUE.equals(s.getStarted())
                : s.getState().getTerminated() == null || s.getState().getTerminated().getExitCode() != 0)
                .map(ContainerStatus::getName).toList();
        boolean appStarted = app.stream().anyMatch(s -> s.getState().getWaiting() == null
                || (s.getLastState() != null && s.getLastState().getTerminated() != null));
        boolean initialized = incomplete.isEmpty() || appStarted || "Succeeded".equals(phase);
        out.add(condition(current, "Initialized", initialized, "ContainersNotInitialized",
                "containers with incomplete status: " + names(incomplete), now));
        List<String> unready = Stream.concat(init.stream().filter(s -> sidecars.contains(s.getName())), app.stream())
                .filter(s -> !Boolean.TRUE.equals(s.getReady())).map(ContainerStatus::getName).toList();
        boolean ready = unready.isEmpty() && !app.isEmpty() && !terminal(phase);
        String reason = "Succeeded".equals(phase) ? "PodCompleted" : "Failed".equals(phase) ? "PodFailed"
                : "ContainersNotReady";
        String message = terminal(phase) ? null : "containers with unready status: " + names(unready);
        out.add(condition(current, "Ready", ready, reason, message, now));
        out.add(condition(current, "ContainersReady", ready, reason, message, now));
        out.add(condition(current, "PodScheduled", true, null, null, now));
        return out;
    }

    private static boolean terminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
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
