package io.capstan.node.agent.probe;

import io.capstan.node.agent.status.Sidecars;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.RuntimeFailure;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Kills a container that failed its liveness or startup probe, as kubelet does: event Killing
 * ({@code Container app failed liveness probe, will be restarted} — without ", will be restarted"
 * under restartPolicy Never), then a stop with the probe's terminationGracePeriodSeconds, else the
 * pod's, else 30 s (at least 2 s). The runtime reports the exit and the pod sync restarts the
 * container per its restart policy (restartCount goes up, with the usual back-off).
 */
final class FailureKiller {
    private static final Logger LOG = Logger.getLogger(FailureKiller.class);
    /** Kubelet's minimum grace period for a kill. */
    static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);

    private final ContainerRuntime runtime;
    private final ProbeEvents events;

    FailureKiller(ContainerRuntime runtime, ProbeEvents events) {
        this.runtime = runtime;
        this.events = events;
    }

    void kill(ProbeKind kind, Pod pod, Container spec, ContainerStatus c) {
        boolean restart = !"Never".equals(pod.getSpec().getRestartPolicy()) || Sidecars.isSidecar(spec);
        String message = "Container " + spec.getName() + " failed " + kind.label().toLowerCase(java.util.Locale.ROOT)
                + " probe" + (restart ? ", will be restarted" : "");
        LOG.infof("pod=%s/%s: %s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message);
        events.normal(pod, spec.getName(), "Killing", message);
        try {
            runtime.stopContainer(c.id(), gracePeriod(pod, kind.of(spec)));
        } catch (RuntimeFailure f) {
            LOG.warnf("killing container=%s of pod=%s/%s: %s %s", spec.getName(), pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), f.reason(), f.getMessage());
        }
    }

    static Duration gracePeriod(Pod pod, Probe probe) {
        Long seconds = probe != null ? probe.getTerminationGracePeriodSeconds() : null;
        if (seconds == null) {
            seconds = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        Duration grace = Duration.ofSeconds(seconds == null ? 30 : Math.max(0, seconds));
        return grace.compareTo(MINIMUM_GRACE) < 0 ? MINIMUM_GRACE : grace;
    }
}
