package io.capstan.node.agent.status;

import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ContainerStatus.ContainerState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import java.util.List;

/**
 * One container's API status from the runtime's instances of it (every attempt still present,
 * oldest first) and the agent's reason for not running it: state (waiting, running or terminated),
 * lastState (the attempt before), restartCount (the newest attempt), ready and started (while it
 * runs, as its probes say — {@link ContainerHealth}; a completed init container is ready, a sidecar
 * while it runs and its probes agree), image, imageID and containerID ({@code capstan://<id>}).
 */
public final class ContainerStatuses {
    public static final String ID_PREFIX = "capstan://";

    private ContainerStatuses() {}

    /**
     * @param attempts the runtime's instances of the container, ordered by attempt
     * @param waiting why it waits to be (re)started, or null
     * @param defaultReason the waiting reason when nothing ran and there is no {@code waiting}
     *     (ContainerCreating, or PodInitializing while init containers run)
     */
    public static io.fabric8.kubernetes.api.model.ContainerStatus of(Container spec, List<ContainerStatus> attempts,
            Waiting waiting, boolean init, String defaultReason) {
        return of(spec, attempts, waiting, init, defaultReason, ContainerHealth.NONE);
    }

    /** As above, with {@code health} saying whether the running instance is started and ready. */
    public static io.fabric8.kubernetes.api.model.ContainerStatus of(Container spec, List<ContainerStatus> attempts,
            Waiting waiting, boolean init, String defaultReason, ContainerHealth health) {
        var out = new io.fabric8.kubernetes.api.model.ContainerStatus();
        out.setName(spec.getName());
        out.setImage(spec.getImage());
        out.setImageID("");
        out.setRestartCount(0);
        out.setReady(false);
        out.setStarted(false);
        out.setLastState(new io.fabric8.kubernetes.api.model.ContainerState());
        ContainerStatus latest = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        ContainerStatus previous = attempts.size() < 2 ? null : attempts.get(attempts.size() - 2);
        if (latest == null) {
            Waiting w = waiting != null ? waiting : new Waiting(defaultReason, null);
            out.setState(waitingState(w));
            return out;
        }
        out.setRestartCount(latest.attempt());
        out.setImageID(latest.imageId() == null ? "" : latest.imageId());
        out.setContainerID(ID_PREFIX + latest.id());
        switch (latest.state()) {
            case RUNNING -> {
                out.setState(new ContainerStateBuilder().withNewRunning()
                        .withStartedAt(Times.format(latest.startedAt())).endRunning().build());
                if (previous != null && previous.state() == ContainerState.EXITED) {
                    out.setLastState(new ContainerStateBuilder().withTerminated(terminated(previous)).build());
                }
                out.setReady((!init || Sidecars.isSidecar(spec)) && health.ready(spec.getName(), latest.id()));
                out.setStarted(health.started(spec.getName(), latest.id()));
            }
            case CREATED -> out.setState(waitingState(new Waiting("ContainerCreating", null)));
            case EXITED -> {
                if (waiting != null) {
                    out.setState(waitingState(waiting));
                    out.setLastState(new ContainerStateBuilder().withTerminated(terminated(latest)).build());
                } else {
                    out.setState(new ContainerStateBuilder().withTerminated(terminated(latest)).build());
                    if (previous != null && previous.state() == ContainerState.EXITED) {
                        out.setLastState(new ContainerStateBuilder().withTerminated(terminated(previous)).build());
                    }
                    out.setReady(init && Integer.valueOf(0).equals(latest.exitCode()));
                }
            }
            default -> throw new IllegalStateException("unknown state " + latest.state());
        }
        return out;
    }

    private static io.fabric8.kubernetes.api.model.ContainerState waitingState(Waiting w) {
        return new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message())
                .endWaiting().build();
    }

    private static ContainerStateTerminated terminated(ContainerStatus s) {
        return new ContainerStateTerminatedBuilder()
                .withExitCode(s.exitCode() == null ? 0 : s.exitCode())
                .withReason(s.reason())
                .withMessage(s.message())
                .withStartedAt(Times.format(s.startedAt()))
                .withFinishedAt(Times.format(s.finishedAt()))
                .withContainerID(ID_PREFIX + s.id())
                .build();
    }
}
