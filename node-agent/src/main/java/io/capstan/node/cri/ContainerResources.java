package io.capstan.node.cri;

/**
 * The container-level cgroup limits, from the container's resources.
 *
 * @param memoryLimitBytes limits.memory in bytes, 0 for none (swap is never allowed beyond it)
 * @param cpuLimitMillis limits.cpu in millicores as a CFS quota over a 100 ms period, 0 for none
 * @param cpuRequestMillis requests.cpu in millicores as cpu shares (v1) or weight (v2); 0 gives
 *     the minimum, as Kubernetes gives BestEffort containers
 * @param pidsLimit the maximum number of processes, 0 for the node's default
 */
public record ContainerResources(long memoryLimitBytes, long cpuLimitMillis, long cpuRequestMillis, long pidsLimit) {
    /** No limits. */
    public static ContainerResources none() {
        return new ContainerResources(0, 0, 0, 0);
    }
}
