package io.capstan.node.cri;

/**
 * The pod-level cgroup settings. Kubernetes places Guaranteed pods directly under the pods
 * cgroup and Burstable and BestEffort pods under a cgroup of their class; the pod cgroup's limits
 * are the sums of its containers' limits when every container has one.
 *
 * @param qosClass {@code Guaranteed}, {@code Burstable} or {@code BestEffort}
 * @param memoryLimitBytes the pod's memory limit, 0 for none
 * @param cpuLimitMillis the pod's cpu limit in millicores (a CFS quota), 0 for none
 * @param cpuRequestMillis the pod's cpu request in millicores (shares or weight), 0 for the minimum
 */
public record PodResources(String qosClass, long memoryLimitBytes, long cpuLimitMillis, long cpuRequestMillis) {
    /** A BestEffort pod: no limits, minimum cpu weight. */
    public static PodResources bestEffort() {
        return new PodResources("BestEffort", 0, 0, 0);
    }
}
