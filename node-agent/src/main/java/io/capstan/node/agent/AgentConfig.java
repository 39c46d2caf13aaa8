package io.capstan.node.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the node agent is configured with; one immutable value, passed in at construction.
 *
 * @param nodeName the Node this agent registers and whose pods it runs
 * @param dataDir the node's data directory (its filesystem is the node's ephemeral-storage)
 * @param leaseDuration the Lease's {@code leaseDurationSeconds} (kubelet: 40 s)
 * @param leaseRenewInterval how often the Lease is renewed (kubelet: 10 s)
 * @param statusReportInterval the node status is posted when it changes, and at least this often
 *     (kubelet's nodeStatusReportFrequency: 5 min)
 * @param statusCheckInterval how often the node status is recomputed to look for changes (kubelet's
 *     nodeStatusUpdateFrequency: 10 s)
 * @param maxPods the node's pods capacity (kubelet: 110)
 * @param podWorkers how many pods are synced at once (each pod by one worker at a time)
 * @param podResyncInterval the longest a pod waits between two syncs while something is pending
 *     (a back-off running out, an image appearing); exits and API changes sync at once
 * @param podSyncInterval every pod is synced at least this often, pending or not (kubelet's
 *     syncFrequency: 1 min), so a container the runtime lost is noticed
 * @param housekeepingInterval how often runtime containers of pods gone from the API are removed
 * @param orphanGracePeriod the grace period of containers stopped because their pod is gone
 * @param internalIp the node's InternalIP, or {@code null} to take the first non-loopback IPv4 address
 * @param kubeletVersion reported as nodeInfo.kubeletVersion
 * @param runtimeVersion the engine version; nodeInfo.containerRuntimeVersion is {@code capstan://<it>}
 */
public record AgentConfig(
        String nodeName,
        Path dataDir,
        Duration leaseDuration,
        Duration leaseRenewInterval,
        Duration statusReportInterval,
        Duration statusCheckInterval,
        int maxPods,
        int podWorkers,
        Duration podResyncInterval,
        Duration podSyncInterval,
        Duration housekeepingInterval,
        Duration orphanGracePeriod,
        String internalIp,
        String kubeletVersion,
        String runtimeVersion) {

    public static final int DEFAULT_MAX_PODS = 110;

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(dataDir, "dataDir");
        if (maxPods < 1 || podWorkers < 1) {
            throw new IllegalArgumentException("maxPods and podWorkers must be positive");
        }
    }

    /** Kubelet's defaults for node {@code nodeName} with data in {@code dataDir}. */
    public static AgentConfig defaults(String nodeName, Path dataDir) {
        return new AgentConfig(nodeName, dataDir, Duration.ofSeconds(40), Duration.ofSeconds(10),
                Duration.ofMinutes(5), Duration.ofSeconds(10), DEFAULT_MAX_PODS, 12, Duration.ofSeconds(10),
                Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(2), null, "v1.32.4", "0.1.0");
    }

    public AgentConfig withLeaseRenewInterval(Duration d) {
        return new AgentConfig(nodeName, dataDir, leaseDuration, d, statusReportInterval, statusCheckInterval,
                maxPods, podWorkers, podResyncInterval, podSyncInterval, housekeepingInterval,
                orphanGracePeriod, internalIp, kubeletVersion, runtimeVersion);
    }

    public AgentConfig withStatusCheckInterval(Duration d) {
        return new AgentConfig(nodeName, dataDir, leaseDuration, leaseRenewInterval, statusReportInterval, d,
                maxPods, podWorkers, podResyncInterval, podSyncInterval, housekeepingInterval,
                orphanGracePeriod, internalIp, kubeletVersion, runtimeVersion);
    }

    public AgentConfig withPodResyncInterval(Duration d) {
        return new AgentConfig(nodeName, dataDir, leaseDuration, leaseRenewInterval, statusReportInterval,
                statusCheckInterval, maxPods, podWorkers, d, podSyncInterval, housekeepingInterval,
                orphanGracePeriod, internalIp, kubeletVersion, runtimeVersion);
    }

    public AgentConfig withPodSyncInterval(Duration d) {
        return new AgentConfig(nodeName, dataDir, leaseDuration, leaseRenewInterval, statusReportInterval,
                statusCheckInterval, maxPods, podWorkers, podResyncInterval, d, housekeepingInterval,
                orphanGracePeriod, internalIp, kubeletVersion, runtimeVersion);
    }

    public AgentConfig withHousekeepingInterval(Duration d) {
        return new AgentConfig(nodeName, dataDir, leaseDuration, leaseRenewInterval, statusReportInterval,
                statusCheckInterval, maxPods, podWorkers, podResyncInterval, podSyncInterval, d,
                orphanGracePeriod, internalIp, kubeletVersion, runtimeVersion);
    }

    public AgentConfig withInternalIp(String ip) {
        return new AgentConfig(nodeName, dataDir, leaseDuration, leaseRenewInterval, statusReportInterval,
                statusCheckInterval, maxPods, podWorkers, podResyncInterval, podSyncInterval, housekeepingInterval,
                orphanGracePeriod, ip, kubeletVersion, runtimeVersion);
    }

    /** The Lease duration in whole seconds. */
    public int leaseDurationSeconds() {
        return (int) leaseDuration.toSeconds();
    }
}
