package io.capstan.node.cgroup;

/**
 * The settings of one cgroup in version-neutral units; each driver writes them in its own files
 * (see docs/cgroups.md for the mapping).
 *
 * @param memoryBytes the memory limit, swap included; 0 for none
 * @param cpuQuotaMicros the CFS quota per {@link #CPU_PERIOD_MICROS} period; 0 for none
 * @param cpuShares the v1 cpu shares (2..262144; v2 converts them to a weight); 0 leaves the
 *     kernel's default
 * @param pidsMax the maximum number of processes; 0 for none
 * @param oomGroup on v2, kill the whole cgroup when the OOM killer picks one of its processes
 *     (Kubernetes does so for containers); ignored on v1
 * @param devices which device nodes its processes may open and create
 */
public record CgroupLimits(
        long memoryBytes, long cpuQuotaMicros, long cpuShares, long pidsMax, boolean oomGroup, Devices devices) {

    /**
     * Device access. {@link #DEFAULT} is Docker's allowlist (null, zero, full, random, urandom,
     * tty, console, ptmx and the pseudo-terminals {@code 136:*}, each read, write and mknod), with
     * no mknod of any other device; {@link #ALL} is what privileged containers and every
     * intermediate cgroup get. Enforced through the v1 devices controller; on v2 (which needs an
     * eBPF program) not yet.
     */
    public enum Devices {
        ALL,
        DEFAULT
    }

    /** The limits without device restrictions. */
    public CgroupLimits(long memoryBytes, long cpuQuotaMicros, long cpuShares, long pidsMax, boolean oomGroup) {
        this(memoryBytes, cpuQuotaMicros, cpuShares, pidsMax, oomGroup, Devices.ALL);
    }

    /** The CFS period capstan uses, as Kubernetes does: 100 ms. */
    public static final long CPU_PERIOD_MICROS = 100_000;

    /** Nothing set: what intermediate cgroups get. */
    public static CgroupLimits none() {
        return new CgroupLimits(0, 0, 0, 0, false);
    }
}
