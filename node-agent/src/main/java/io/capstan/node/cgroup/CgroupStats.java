package io.capstan.node.cgroup;

/**
 * Usage of one cgroup and everything below it, as the kubelet reports it for
 * {@code kubectl top}.
 *
 * @param cpuUsageNanos cpu time used since the cgroup was created
 * @param memoryUsageBytes memory charged to it (v1 {@code memory.usage_in_bytes}, v2
 *     {@code memory.current}), page cache included
 * @param memoryWorkingSetBytes usage minus inactive file cache, never negative: the number the
 *     kubelet uses for eviction and {@code kubectl top}
 * @param pidsCurrent processes and threads in it
 */
public record CgroupStats(long cpuUsageNanos, long memoryUsageBytes, long memoryWorkingSetBytes, long pidsCurrent) {}
