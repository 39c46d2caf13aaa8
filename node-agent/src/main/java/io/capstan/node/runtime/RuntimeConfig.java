package io.capstan.node.runtime;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.graph.GraphDrivers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the native runtime is set up.
 *
 * @param dataDir the node's data directory ({@code --data-dir}): images, graph, runtime state, logs
 *     and the extracted shim live below it
 * @param graphDriver {@code overlay} (default) or {@code vfs}
 * @param cgroupDriver {@code auto} (default), {@code v1} or {@code v2}
 * @param cgroupRoot where capstan's pod cgroups go in each hierarchy, relative to the agent's own
 *     cgroup unless it starts with {@code /}; default {@code capstan}
 * @param defaultPidsLimit {@code pids.max} of a container that sets none, 0 for no limit
 * @param startTimeout how long a container or sandbox holder may take to exec its command
 * @param logMaxBytes the size at which the shim rotates a container's log (kubelet's
 *     containerLogMaxSize); 0 for the default 10 MiB
 * @param logMaxFiles how many files a container's log may use, the live one included (kubelet's
 *     containerLogMaxFiles); 0 for the default 5
 */
public record RuntimeConfig(
        Path dataDir, String graphDriver, String cgroupDriver, String cgroupRoot, long defaultPidsLimit,
        Duration startTimeout, long logMaxBytes, int logMaxFiles) {

    /** kubelet's default containerLogMaxSize. */
    public static final long DEFAULT_LOG_MAX_BYTES = 10L * 1024 * 1024;
    /** kubelet's default containerLogMaxFiles. */
    public static final int DEFAULT_LOG_MAX_FILES = 5;

    public RuntimeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        graphDriver = graphDriver == null || graphDriver.isBlank() ? GraphDrivers.DEFAULT : graphDriver.trim();
        if (!GraphDrivers.NAMES.contains(graphDriver)) {
            throw new IllegalArgumentException(
                    "unknown graph driver '" + graphDriver + "'; known: " + GraphDrivers.NAMES);
        }
        cgroupDriver = cgroupDriver == null || cgroupDriver.isBlank() ? "auto" : cgroupDriver.trim();
        cgroupRoot = cgroupRoot == null || cgroupRoot.isBlank() ? CgroupConfig.defaults().root() : cgroupRoot.trim();
        if (defaultPidsLimit < 0) {
            throw new IllegalArgumentException("defaultPidsLimit must not be negative");
        }
        startTimeout = startTimeout == null ? Duration.ofSeconds(30) : startTimeout;
        if (logMaxBytes < 0 || logMaxFiles < 0) {
            throw new IllegalArgumentException("log rotation settings must not be negative");
        }
        logMaxBytes = logMaxBytes == 0 ? DEFAULT_LOG_MAX_BYTES : logMaxBytes;
        logMaxFiles = logMaxFiles == 0 ? DEFAULT_LOG_MAX_FILES : logMaxFiles;
        if (logMaxFiles < 2) {
            throw new IllegalArgumentException("logMaxFiles must be at least 2, as kubelet's containerLogMaxFiles");
        }
    }

    /** The defaults over {@code dataDir}: overlay, automatic cgroup driver, root {@code capstan}, no pids limit. */
    public static RuntimeConfig defaults(Path dataDir) {
        return new RuntimeConfig(dataDir, null, null, null, 0, null, 0, 0);
    }

    /** A copy with another graph driver ({@code overlay} or {@code vfs}). */
    public RuntimeConfig withGraphDriver(String name) {
        return new RuntimeConfig(dataDir, name, cgroupDriver, cgroupRoot, defaultPidsLimit, startTimeout, logMaxBytes,
                logMaxFiles);
    }

    /** A copy with another cgroup root. */
    public RuntimeConfig withCgroupRoot(String root) {
        return new RuntimeConfig(dataDir, graphDriver, cgroupDriver, root, defaultPidsLimit, startTimeout, logMaxBytes,
                logMaxFiles);
    }

    /** A copy with another default pids limit. */
    public RuntimeConfig withDefaultPidsLimit(long limit) {
        return new RuntimeConfig(dataDir, graphDriver, cgroupDriver, cgroupRoot, limit, startTimeout, logMaxBytes,
                logMaxFiles);
    }

    /** A copy with other log rotation settings (the size in bytes, the number of files). */
    public RuntimeConfig withLogRotation(long maxBytes, int maxFiles) {
        return new RuntimeConfig(dataDir, graphDriver, cgroupDriver, cgroupRoot, defaultPidsLimit, startTimeout,
                maxBytes, maxFiles);
    }

    /** The cgroup settings these translate to. */
    public CgroupConfig cgroupConfig() {
        CgroupConfig d = CgroupConfig.defaults();
        return new CgroupConfig(cgroupDriver, cgroupRoot, defaultPidsLimit, d.podPidsLimit(), d.minMemoryBytes(),
                d.killTimeout());
    }

    /** {@code <data-dir>/runtime/containers}. */
    public Path containersDir() {
        return dataDir.resolve("runtime").resolve("containers");
    }

    /** {@code <data-dir>/runtime/sandboxes}. */
    public Path sandboxesDir() {
        return dataDir.resolve("runtime").resolve("sandboxes");
    }

    /** {@code <data-dir>/logs}. */
    public Path logsDir() {
        return dataDir.resolve("logs");
    }
}
