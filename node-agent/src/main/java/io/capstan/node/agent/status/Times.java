package io.capstan.node.agent.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes' metav1.Time: RFC 3339 in UTC, whole seconds. */
public final class Times {
    private Times() {}

    public static String format(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
