package io.capstan.node.agent.pod;

import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.PodResources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Container and pod resources for the runtime. The QoS class is the pod's {@code status.qosClass}
 * (the API server sets it); the fallback here is deliberately minimal (the cgroup package owns the
 * full QoS rules).
 */
final class Resources {
    private Resources() {}

    static ContainerResources container(Container c) {
        long memory = bytes(limits(c).get("memory"));
        long cpuLimit = millis(limits(c).get("cpu"));
        Quantity req = requests(c).get("cpu");
        long cpuRequest = req != null ? millis(req) : cpuLimit;
        return new ContainerResources(memory, cpuLimit, cpuRequest, 0);
    }

    static PodResources pod(Pod pod) {
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        boolean everyMemory = all.stream().allMatch(c -> limits(c).containsKey("memory"));
        boolean everyCpu = all.stream().allMatch(c -> limits(c).containsKey("cpu"));
        long memory = everyMemory ? all.stream().mapToLong(c -> bytes(limits(c).get("memory"))).sum() : 0;
        long cpu = everyCpu ? all.stream().mapToLong(c -> millis(limits(c).get("cpu"))).sum() : 0;
        long request = all.stream().mapToLong(c -> container(c).cpuRequestMillis()).sum();
        return new PodResources(qosClass(pod), memory, cpu, request);
    }

    static String qosClass(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getQosClass() != null) {
            return pod.getStatus().getQosClass();
        }
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        boolean any = all.stream().anyMatch(c -> !limits(c).isEmpty() || !requests(c).isEmpty());
        if (!any) {
            return "BestEffort";
        }
        boolean guaranteed = all.stream().allMatch(c -> {
            for (String r : List.of("cpu", "memory")) {
                Quantity l = limits(c).get(r);
                Quantity q = requests(c).getOrDefault(r, l);
                if (l == null || q == null || l.getNumericalAmount().compareTo(q.getNumericalAmount()) != 0) {
                    return false;
                }
            }
            return true;
        });
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static Map<String, Quantity> limits(Container c) {
        return c.getResources() == null || c.getResources().getLimits() == null ? Map.of()
                : c.getResources().getLimits();
    }

    private static Map<String, Quantity> requests(Container c) {
        return c.getResources() == null || c.getResources().getRequests() == null ? Map.of()
                : c.getResources().getRequests();
    }

    private static long bytes(Quantity q) {
        return q == null ? 0 : q.getNumericalAmount().setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    private static long millis(Quantity q) {
        return q == null ? 0 : q.getNumericalAmount().multiply(BigDecimal.valueOf(1000))
                .setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }
}
