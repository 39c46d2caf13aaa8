package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;

/**
 * A probe's timing with Kubernetes' defaults for unset (or non-positive) fields: initialDelaySeconds
 * 0, periodSeconds 10, timeoutSeconds 1, successThreshold 1, failureThreshold 3.
 */
record ProbeTiming(int initialDelaySeconds, Duration period, Duration timeout, int successThreshold,
        int failureThreshold) {

    static ProbeTiming of(Probe p) {
        return new ProbeTiming(
                p.getInitialDelaySeconds() == null ? 0 : Math.max(0, p.getInitialDelaySeconds()),
                Duration.ofSeconds(positive(p.getPeriodSeconds(), 10)),
                Duration.ofSeconds(positive(p.getTimeoutSeconds(), 1)),
                positive(p.getSuccessThreshold(), 1),
                positive(p.getFailureThreshold(), 3));
    }

    private static int positive(Integer value, int otherwise) {
        return value == null || value <= 0 ? otherwise : value;
    }
}
