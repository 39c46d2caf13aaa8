package io.capstan.node.agent.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.util.List;
import java.util.Set;

/**
 * A pod's phase from its container statuses, as kubelet computes it: Failed when an init container
 * failed and the restart policy is Never; Pending while init containers have not all succeeded or
 * an app container waits without having run; Running while some app container runs (and none is
 * unknown); once none runs: Running with restartPolicy Always, Succeeded when every one exited 0,
 * Failed with Never, Running with OnFailure (a failed one will restart). A terminal phase never
 * changes back.
 */
public final class PodPhase {
    private PodPhase() {}

    public static String of(String restartPolicy, String currentPhase, List<ContainerStatus> init,
            List<ContainerStatus> app, int appContainers) {
        return of(restartPolicy, currentPhase, init, app, appContainers, Set.of());
    }

    /**
     * As above with sidecars (named in {@code sidecars}): they count as pending initialization only
     * until they first run, as running while they run, and not at all once they exited.
     */
    public static String of(String restartPolicy, String currentPhase, List<ContainerStatus> init,
            List<ContainerStatus> app, int appContainers, Set<String> sidecars) {
        if ("Succeeded".equals(currentPhase) || "Failed".equals(currentPhase)) {
            return currentPhase;
        }
        String policy = restartPolicy == null ? "Always" : restartPolicy;
        int pendingInit = 0;
        int failedInit = 0;
        int running = 0;
        int waiting = 0;
        for (ContainerStatus s : init) {
            var state = s.getState();
            if (sidecars.contains(s.getName())) {
                if (state.getRunning() != null) {
                    running++;
                } else if (state.getWaiting() != null
                        && (s.getLastState() == null || s.getLastState().getTerminated() == null)) {
                    pendingInit++;
                    waiting++;
                }
                continue;
            }
            if (state.getTerminated() != null) {
                if (state.getTerminated().getExitCode() != 0) {
                    failedInit++;
                }
            } else if (state.getWaiting() != null && s.getLastState() != null
                    && s.getLastState().getTerminated() != null
                    && s.getLastState().getTerminated().getExitCode() != 0) {
                failedInit++;
            } else {
                pendingInit++;
            }
        }
        if (failedInit > 0 && policy.equals("Never")) {
            return "Failed";
        }
        int unknown = appContainers - app.size();
        boolean anyAppStarted = app.stream().anyMatch(s -> s.getState().getWaiting() == null
                || (s.getLastState() != null && s.getLastState().getTerminated() != null));
        int stopped = 0;
        int succeeded = 0;
        for (ContainerStatus s : app) {
            var state = s.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
                stopped++;
            } else {
                waiting++;
            }
        }
        if ((pendingInit > 0 || failedInit > 0) && !anyAppStarted || waiting > 0) {
            return "Pending";
        }
        if (running > 0 && unknown == 0) {
            return "Running";
        }
        if (running == 0 && stopped > 0 && unknown == 0) {
            if (policy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            if (policy.equals("Never")) {
                return "Failed";
            }
            return "Running";
        }
        return "Pending";
    }
}
