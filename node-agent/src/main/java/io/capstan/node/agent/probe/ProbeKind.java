package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * The three probe kinds, with kubelet's value before the first result: a readiness probe starts
 * failed (not ready), a liveness probe succeeded (alive), a startup probe unknown (not started).
 */
public enum ProbeKind {
    LIVENESS("Liveness", ProbeResult.SUCCESS),
    READINESS("Readiness", ProbeResult.FAILURE),
    STARTUP("Startup", ProbeResult.UNKNOWN);

    private final String label;
    private final ProbeResult initial;

    ProbeKind(String label, ProbeResult initial) {
        this.label = label;
        this.initial = initial;
    }

    /** As kubelet names it in events: Liveness, Readiness, Startup. */
    public String label() {
        return label;
    }

    /** The result before the first probe of a container instance. */
    ProbeResult initial() {
        return initial;
    }

    /** The container's probe of this kind, or null. */
    Probe of(Container c) {
        return switch (this) {
            case LIVENESS -> c.getLivenessProbe();
            case READINESS -> c.getReadinessProbe();
            case STARTUP -> c.getStartupProbe();
        };
    }

    /** Whether a failure past the threshold kills the container. */
    boolean kills() {
        return this != READINESS;
    }
}
