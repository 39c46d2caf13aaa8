package io.capstan.node.cgroup;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's quality-of-service class, computed as Kubernetes computes {@code status.qosClass} from
 * the cpu and memory requests and limits of all its containers, init containers included:
 * BestEffort when none is set, Guaranteed when every container has cpu and memory limits and the
 * summed requests equal the summed limits, Burstable otherwise. A request that is not set but
 * whose limit is defaults to the limit, as the API server's defaulting does.
 */
public enum QosClass {
    GUARANTEED("Guaranteed"),
    BURSTABLE("Burstable"),
    BEST_EFFORT("BestEffort");

    private static final List<String> COMPUTE = List.of("cpu", "memory");

    private final String value;

    QosClass(String value) {
        this.value = value;
    }

    /** The name Kubernetes uses in {@code status.qosClass}. */
    public String value() {
        return value;
    }

    /** The class named {@code value} ({@code Guaranteed}, {@code Burstable} or {@code BestEffort}). */
    public static QosClass parse(String value) {
        for (QosClass q : values()) {
            if (q.value.equals(value)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown QoS class: " + value);
    }

    /** The QoS class of {@code pod}. */
    public static QosClass of(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec() != null) {
            all.addAll(nullSafe(pod.getSpec().getContainers()));
            all.addAll(nullSafe(pod.getSpec().getInitContainers()));
        }
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        for (Container c : all) {
            Map<String, Quantity> limitMap = Resources.limits(c);
            for (Map.Entry<String, Quantity> e : Resources.requestsDefaulted(c).entrySet()) {
                BigDecimal v = Resources.amount(e.getValue());
                if (COMPUTE.contains(e.getKey()) && v.signum() > 0) {
                    requests.merge(e.getKey(), v, BigDecimal::add);
                }
            }
            int found = 0;
            for (Map.Entry<String, Quantity> e : limitMap.entrySet()) {
                BigDecimal v = Resources.amount(e.getValue());
                if (COMPUTE.contains(e.getKey()) && v.signum() > 0) {
                    found++;
                    limits.merge(e.getKey(), v, BigDecimal::add);
                }
            }
            if (found < COMPUTE.size()) {
                guaranteed = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return BEST_EFFORT;
        }
        if (guaranteed) {
            for (Map.Entry<String, BigDecimal> e : requests.entrySet()) {
                BigDecimal limit = limits.get(e.getKey());
                if (limit == null || limit.compareTo(e.getValue()) != 0) {
                    guaranteed = false;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? GUARANTEED : BURSTABLE;
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }
}
