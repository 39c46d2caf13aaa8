package io.capstan.node.cgroup;

import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.PodResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cgroup settings of pods and containers, from their specs as the kubelet computes them.
 * Quantities are read with Fabric8's {@link Quantity} and rounded up, as Kubernetes'
 * {@code Value()} and {@code MilliValue()} do ({@code 500m} = 500 millicores, {@code 64Mi} =
 * 67108864 bytes, {@code 1G} = 10^9 bytes). Unparseable quantities throw
 * {@link IllegalArgumentException} (the API server rejects them before a pod gets here).
 */
public final class Resources {

    private Resources() {}

    /**
     * A container's cgroup: its memory limit, cpu limit (a quota), cpu request (shares; the limit
     * when no request is set, as defaulting does) and no pids limit of its own (the node's
     * default applies).
     */
    public static ContainerResources forContainer(Container c) {
        Map<String, Quantity> limits = limits(c);
        Map<String, Quantity> requests = requestsDefaulted(c);
        return new ContainerResources(bytes(limits.get("memory")), millis(limits.get("cpu")), millis(requests.get("cpu")), 0);
    }

    /**
     * A pod's cgroup, as the kubelet sizes it: the effective requests and limits are the larger
     * of the sum over the app containers (plus restartable init containers, i.e. sidecars) and
     * the largest init container (plus the sidecars started before it), plus the pod overhead.
     * Guaranteed pods get cpu shares, a cpu quota and a memory limit; Burstable pods get shares,
     * and a quota or memory limit only when every container declares that limit; BestEffort
     * pods get the minimum shares and nothing else.
     */
    public static PodResources forPod(Pod pod) {
        QosClass qos = QosClass.of(pod);
        PodSpec spec = pod.getSpec();
        List<Container> containers = spec == null || spec.getContainers() == null ? List.of() : spec.getContainers();
        List<Container> inits = spec == null || spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        Map<String, Quantity> overhead = spec == null || spec.getOverhead() == null ? Map.of() : spec.getOverhead();
        long cpuRequest = effective(containers, inits, Resources::requestsDefaulted, "cpu", true) + millis(overhead.get("cpu"));
        long cpuLimit = effective(containers, inits, Resources::limits, "cpu", true) + millis(overhead.get("cpu"));
        long memoryLimit = effective(containers, inits, Resources::limits, "memory", false) + bytes(overhead.get("memory"));
        boolean cpuLimitsDeclared = true;
        boolean memoryLimitsDeclared = true;
        for (Container c : concat(containers, inits)) {
            cpuLimitsDeclared &= millis(limits(c).get("cpu")) > 0;
            memoryLimitsDeclared &= bytes(limits(c).get("memory")) > 0;
        }
        return switch (qos) {
            case GUARANTEED -> new PodResources(qos.value(), memoryLimit, cpuLimit, cpuRequest);
            case BURSTABLE -> new PodResources(qos.value(), memoryLimitsDeclared ? memoryLimit : 0,
                    cpuLimitsDeclared ? cpuLimit : 0, cpuRequest);
            case BEST_EFFORT -> PodResources.bestEffort();
        };
    }

    private static long effective(List<Container> containers, List<Container> inits,
            Function<Container, Map<String, Quantity>> of, String resource, boolean cpu) {
        Function<Container, Long> value = c -> cpu ? millis(of.apply(c).get(resource)) : bytes(of.apply(c).get(resource));
        long running = 0;
        for (Container c : containers) {
            running += value.apply(c);
        }
        long sidecars = 0;
        long initMax = 0;
        for (Container c : inits) {
            long v = value.apply(c);
            if ("Always".equals(c.getRestartPolicy())) {
                running += v;
                sidecars += v;
                initMax = Math.max(initMax, sidecars);
            } else {
                initMax = Math.max(initMax, v + sidecars);
            }
        }
        return Math.max(running, initMax);
    }

    private static List<Container> concat(List<Container> a, List<Container> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** A container's limits, never {@code null}. */
    static Map<String, Quantity> limits(Container c) {
        if (c.getResources() == null || c.getResources().getLimits() == null) {
            return Map.of();
        }
        return c.getResources().getLimits();
    }

    /** A container's requests with each missing request defaulted to its limit. */
    static Map<String, Quantity> requestsDefaulted(Container c) {
        Map<String, Quantity> out = new HashMap<>(limits(c));
        if (c.getResources() != null && c.getResources().getRequests() != null) {
            out.putAll(c.getResources().getRequests());
        }
        return out;
    }

    /** The numeric value of a quantity ({@code 500m} = 0.5, {@code 1Ki} = 1024). */
    static BigDecimal amount(Quantity q) {
        if (q == null) {
            return BigDecimal.ZERO;
        }
        try {
            return Quantity.getAmountInBytes(q);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid quantity: " + q, e);
        }
    }

    /** A cpu quantity in millicores, rounded up; 0 when absent. */
    public static long millis(Quantity q) {
        return amount(q).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** A memory quantity in bytes, rounded up; 0 when absent. */
    public static long bytes(Quantity q) {
        return amount(q).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
