package io.capstan.node.cgroup;

/**
 * Kubernetes' conversions from millicores to CFS settings, with its constants: 1024 shares per
 * cpu (at least 2, at most 262144), a quota per 100 ms period of at least 1 ms, and the shares to
 * cgroup v2 weight mapping ([2, 262144] onto [1, 10000]).
 */
public final class CpuUnits {

    /** The fewest cpu shares; what BestEffort pods and containers without a cpu request get. */
    public static final long MIN_SHARES = 2;
    /** The most cpu shares the kernel takes. */
    public static final long MAX_SHARES = 262_144;
    /** The smallest CFS quota the kernel takes, in microseconds. */
    public static final long MIN_QUOTA_MICROS = 1_000;

    private CpuUnits() {}

    /** cpu.shares for a cpu request: {@code millis * 1024 / 1000}, clamped to [2, 262144]. */
    public static long milliCpuToShares(long millis) {
        if (millis <= 0) {
            return MIN_SHARES;
        }
        long shares = millis * 1024 / 1000;
        return Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
    }

    /**
     * The CFS quota for a cpu limit over a {@link CgroupLimits#CPU_PERIOD_MICROS} period; 0 (no
     * quota) for no limit, at least {@link #MIN_QUOTA_MICROS} otherwise.
     */
    public static long milliCpuToQuota(long millis) {
        if (millis <= 0) {
            return 0;
        }
        return Math.max(MIN_QUOTA_MICROS, millis * CgroupLimits.CPU_PERIOD_MICROS / 1000);
    }

    /** cgroup v2 cpu.weight for v1 shares: {@code 1 + (shares - 2) * 9999 / 262142}. */
    public static long sharesToWeight(long shares) {
        long s = Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
        return 1 + ((s - 2) * 9999) / 262_142;
    }
}
