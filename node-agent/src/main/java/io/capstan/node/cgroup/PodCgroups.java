package io.capstan.node.cgroup;

import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.PodResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pod and container cgroups in Kubernetes' layout under the configured root:
 * {@code pods/pod<uid>} for Guaranteed pods, {@code pods/burstable/pod<uid>} and
 * {@code pods/besteffort/pod<uid>} for the other classes, and one child per container id below
 * its pod. The agent owns both levels, so a container's OOM counter outlives its processes.
 *
 * <p>Typical use by a runtime: {@link #createPod} with the sandbox, {@link #createContainer}
 * (which returns the {@code cgroup.procs} files the shim writes 0 to before exec), after exit
 * {@link #oomKills} (OOMKilled = killed by SIGKILL and the counter went up) and then
 * {@link #removeContainer}; {@link #removePod} with the sandbox. After a restart {@link #list}
 * shows what exists, so cgroups of pods that are gone can be removed. Thread-safe for different
 * pods; no state besides the cgroup tree itself.
 */
public final class PodCgroups {

    /** The directory of all pods below the root. */
    public static final String PODS = "pods";
    /** The pod's child cgroup its namespace holder runs in (no container id has this form). */
    public static final String SANDBOX = "sandbox";

    private final CgroupDriver driver;
    private final CgroupConfig config;

    public PodCgroups(CgroupDriver driver, CgroupConfig config) {
        this.driver = driver;
        this.config = config;
    }

    /** Detects the host's hierarchies and picks the driver {@code config} asks for. */
    public static PodCgroups open(CgroupConfig config) throws CgroupException {
        return new PodCgroups(driverFor(CgroupHost.detect(), config), config);
    }

    /** The driver {@code config.driver()} names for {@code host}; {@code auto} picks by layout. */
    public static CgroupDriver driverFor(CgroupHost host, CgroupConfig config) throws CgroupException {
        String root = config.root() == null ? "" : config.root().replaceAll("^/+", "");
        if (!root.isEmpty()) {
            for (String segment : root.split("/")) {
                CgroupIo.checkName("cgroup root segment", segment);
            }
        }
        String d = config.driver() == null ? "auto" : config.driver();
        if (d.equals("auto")) {
            d = host.mode() == CgroupHost.Mode.UNIFIED ? "v2" : "v1";
        }
        switch (d) {
            case "v1":
                if (host.v1().isEmpty()) {
                    throw new CgroupException("cgroup driver v1 asked for, but no cgroup v1 hierarchy is mounted");
                }
                return new V1Driver(host, config.root() == null ? "" : config.root());
            case "v2":
                return new V2Driver(host.unified().orElseThrow(() ->
                        new CgroupException("cgroup driver v2 asked for, but no cgroup2 hierarchy is mounted")),
                        config.root() == null ? "" : config.root());
            default:
                throw new CgroupException("unknown cgroup driver " + d + " (auto, v1 or v2)");
        }
    }

    /** The driver underneath, for inspection. */
    public CgroupDriver driver() {
        return driver;
    }

    /**
     * Creates (or updates) the pod's cgroup and its QoS parent.
     *
     * @return the pod cgroup's path relative to the root
     */
    public String createPod(String podUid, PodResources resources) throws CgroupException {
        CgroupIo.checkName("pod uid", podUid);
        QosClass qos;
        try {
            qos = QosClass.parse(resources.qosClass());
        } catch (IllegalArgumentException e) {
            throw new CgroupException(e.getMessage());
        }
        checkMemory("pod", resources.memoryLimitBytes());
        if (!driver.exists(PODS)) {
            driver.create(PODS, CgroupLimits.none());
        }
        if (qos == QosClass.BURSTABLE && !driver.exists(PODS + "/burstable")) {
            driver.create(PODS + "/burstable", CgroupLimits.none());
        } else if (qos == QosClass.BEST_EFFORT && !driver.exists(PODS + "/besteffort")) {
            driver.create(PODS + "/besteffort", new CgroupLimits(0, 0, CpuUnits.MIN_SHARES, 0, false));
        }
        String path = podPath(podUid, qos);
        CgroupLimits limits = new CgroupLimits(resources.memoryLimitBytes(), CpuUnits.milliCpuToQuota(resources.cpuLimitMillis()),
                CpuUnits.milliCpuToShares(resources.cpuRequestMillis()), config.podPidsLimit(), false);
        createOrUndo(path, limits);
        return path;
    }

    /**
     * Creates the cgroup of an unprivileged container below its pod's, with its limits and
     * Docker's device allowlist.
     *
     * @return the {@code cgroup.procs} files the container's process writes 0 to before exec
     * @throws CgroupException if the pod cgroup does not exist or a limit cannot be set (the
     *     container cgroup is removed again then)
     */
    public List<Path> createContainer(String podUid, String containerId, ContainerResources resources)
            throws CgroupException {
        return createContainer(podUid, containerId, resources, false);
    }

    /**
     * Creates a container's cgroup below its pod's, with its limits; a {@code privileged}
     * container may use every device, the others only Docker's allowlist (null, zero, full,
     * random, urandom, tty, console, ptmx, pts).
     *
     * @return the {@code cgroup.procs} files the container's process writes 0 to before exec
     * @throws CgroupException if the pod cgroup does not exist or a limit cannot be set (the
     *     container cgroup is removed again then)
     */
    public List<Path> createContainer(String podUid, String containerId, ContainerResources resources, boolean privileged)
            throws CgroupException {
        CgroupIo.checkName("container id", containerId);
        String pod = existingPod(podUid);
        checkMemory("container", resources.memoryLimitBytes());
        long pids = resources.pidsLimit() > 0 ? resources.pidsLimit() : config.defaultPidsLimit();
        CgroupLimits limits = new CgroupLimits(resources.memoryLimitBytes(), CpuUnits.milliCpuToQuota(resources.cpuLimitMillis()),
                CpuUnits.milliCpuToShares(resources.cpuRequestMillis()), pids, true,
                privileged ? CgroupLimits.Devices.ALL : CgroupLimits.Devices.DEFAULT);
        String path = pod + "/" + containerId;
        createOrUndo(path, limits);
        return driver.procsFiles(path);
    }

    /**
     * Creates the cgroup of the pod's namespace holder, {@value #SANDBOX} below the pod's, without
     * limits of its own (the pod's apply to it), as kubelet's pause container has one.
     *
     * @return the {@code cgroup.procs} files the holder writes 0 to before it runs
     * @throws CgroupException if the pod cgroup does not exist or the cgroup cannot be made
     */
    public List<Path> createSandbox(String podUid) throws CgroupException {
        String pod = existingPod(podUid);
        String path = pod + "/" + SANDBOX;
        createOrUndo(path, CgroupLimits.none());
        return driver.procsFiles(path);
    }

    private String existingPod(String podUid) throws CgroupException {
        return podPath(podUid).orElseThrow(() ->
                new CgroupException("no cgroup for pod " + podUid + " exists; create the pod's cgroup first"));
    }

    private void createOrUndo(String path, CgroupLimits limits) throws CgroupException {
        boolean existed = driver.exists(path);
        try {
            driver.create(path, limits);
        } catch (CgroupException e) {
            if (!existed) {
                try {
                    driver.remove(path, config.killTimeout());
                } catch (CgroupException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private void checkMemory(String what, long bytes) throws CgroupException {
        if (bytes > 0 && bytes < config.minMemoryBytes()) {
            throw new CgroupException("memory limit of " + what + " " + bytes + " bytes is below the minimum of "
                    + config.minMemoryBytes() + " bytes (" + (config.minMemoryBytes() >> 20) + "Mi) a container needs to start");
        }
    }

    /** The relative path of a pod's cgroup in a QoS class. */
    public static String podPath(String podUid, QosClass qos) {
        return switch (qos) {
            case GUARANTEED -> PODS + "/pod" + podUid;
            case BURSTABLE -> PODS + "/burstable/pod" + podUid;
            case BEST_EFFORT -> PODS + "/besteffort/pod" + podUid;
        };
    }

    /** The relative path of an existing pod cgroup, whatever its class. */
    public Optional<String> podPath(String podUid) {
        for (QosClass q : QosClass.values()) {
            String p = podPath(podUid, q);
            if (driver.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private Optional<String> containerPath(String podUid, String containerId) {
        return podPath(podUid).map(p -> p + "/" + containerId).filter(driver::exists);
    }

    /** The {@code cgroup.procs} files of an existing container cgroup; empty if there is none. */
    public List<Path> procsFiles(String podUid, String containerId) {
        return containerPath(podUid, containerId).map(driver::procsFiles).orElse(List.of());
    }

    /** Usage of a container; empty if its cgroup does not exist. */
    public Optional<CgroupStats> containerStats(String podUid, String containerId) {
        return containerPath(podUid, containerId).map(driver::stats);
    }

    /** Usage of a whole pod; empty if its cgroup does not exist. */
    public Optional<CgroupStats> podStats(String podUid) {
        return podPath(podUid).map(driver::stats);
    }

    /** OOM kills in the container's own cgroup; 0 if it does not exist. Read before removal. */
    public long oomKills(String podUid, String containerId) {
        return containerPath(podUid, containerId).map(driver::oomKills).orElse(0L);
    }

    /** SIGKILLs every process of a container and waits until they are gone. */
    public void killContainer(String podUid, String containerId) throws CgroupException {
        Optional<String> p = containerPath(podUid, containerId);
        if (p.isPresent()) {
            driver.kill(p.get(), config.killTimeout());
        }
    }

    /** SIGKILLs every process of every container of a pod and waits until they are gone. */
    public void killPod(String podUid) throws CgroupException {
        Optional<String> p = podPath(podUid);
        if (p.isPresent()) {
            driver.kill(p.get(), config.killTimeout());
        }
    }

    /** Kills what is left in a container's cgroup and removes it from every hierarchy. */
    public void removeContainer(String podUid, String containerId) throws CgroupException {
        Optional<String> p = containerPath(podUid, containerId);
        if (p.isPresent()) {
            driver.kill(p.get(), config.killTimeout());
            driver.remove(p.get(), config.killTimeout());
        }
    }

    /** Kills what is left in a pod's cgroup and removes it, containers included. */
    public void removePod(String podUid) throws CgroupException {
        Optional<String> p = podPath(podUid);
        if (p.isPresent()) {
            driver.kill(p.get(), config.killTimeout());
            driver.remove(p.get(), config.killTimeout());
        }
    }

    /** Kills every process below the root and removes the root itself (for tests and uninstall). */
    public void removeAll() throws CgroupException {
        driver.kill("", config.killTimeout());
        driver.remove("", config.killTimeout());
    }

    /**
     * A pod cgroup that exists.
     *
     * @param podUid the pod's uid
     * @param qosClass where it was found: {@code Guaranteed}, {@code Burstable} or {@code BestEffort}
     * @param containerIds its container cgroups
     */
    public record PodCgroup(String podUid, String qosClass, List<String> containerIds) {
        public PodCgroup {
            containerIds = List.copyOf(containerIds);
        }
    }

    /** Every pod cgroup under the root with its containers, e.g. to clean up after a restart. */
    public List<PodCgroup> list() {
        List<PodCgroup> out = new ArrayList<>();
        for (QosClass q : QosClass.values()) {
            String parent = podPath("x", q);
            parent = parent.substring(0, parent.lastIndexOf('/'));
            for (String name : driver.children(parent)) {
                if (name.startsWith("pod") && name.length() > 3) {
                    List<String> containers = new ArrayList<>(driver.children(parent + "/" + name));
                    containers.remove(SANDBOX);
                    out.add(new PodCgroup(name.substring(3), q.value(), containers));
                }
            }
        }
        return out;
    }
}
