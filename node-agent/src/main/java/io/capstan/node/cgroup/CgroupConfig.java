package io.capstan.node.cgroup;

import java.time.Duration;

/**
 * How the agent uses cgroups.
 *
 * @param driver {@code auto} (v2 on unified hosts, v1 on legacy and hybrid ones), {@code v1} or
 *     {@code v2} (on a hybrid host: the cgroup2 mount, which may lack controllers)
 * @param root where capstan's cgroups live in each hierarchy: relative to the agent's own cgroup
 *     (default {@code capstan}) or, starting with {@code /}, from the hierarchy's root
 * @param defaultPidsLimit {@code pids.max} of a container that sets none; 0 for no limit
 * @param podPidsLimit {@code pids.max} of every pod cgroup (the kubelet's podPidsLimit); 0 for no
 *     limit
 * @param minMemoryBytes the smallest memory limit accepted: below it a container could not even
 *     start (Docker refuses less than 6 MiB, the default here)
 * @param killTimeout how long kill and remove wait for processes to go away
 */
public record CgroupConfig(
        String driver, String root, long defaultPidsLimit, long podPidsLimit, long minMemoryBytes, Duration killTimeout) {

    /** The defaults: automatic driver, root {@code capstan}, no pids limits, 6 MiB, 10 s. */
    public static CgroupConfig defaults() {
        return new CgroupConfig("auto", "capstan", 0, 0, 6L << 20, Duration.ofSeconds(10));
    }

    /** A copy with another driver. */
    public CgroupConfig withDriver(String driver) {
        return new CgroupConfig(driver, root, defaultPidsLimit, podPidsLimit, minMemoryBytes, killTimeout);
    }

    /** A copy with another root. */
    public CgroupConfig withRoot(String root) {
        return new CgroupConfig(driver, root, defaultPidsLimit, podPidsLimit, minMemoryBytes, killTimeout);
    }

    /** A copy with other pids limits. */
    public CgroupConfig withPidsLimits(long defaultPidsLimit, long podPidsLimit) {
        return new CgroupConfig(driver, root, defaultPidsLimit, podPidsLimit, minMemoryBytes, killTimeout);
    }
}
