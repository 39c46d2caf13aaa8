package io.capstan.node.runtime;

import io.capstan.node.cgroup.CgroupException;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ExecOptions;
import io.capstan.node.cri.ExecResult;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SandboxStatus;
import io.capstan.node.graph.GraphDriver;
import io.capstan.node.graph.GraphDrivers;
import io.capstan.node.image.ImageStore;
import io.capstan.node.image.ImageUsage;
import io.capstan.node.shim.Shim;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The native container engine: images from the local {@link ImageStore}, root filesystems from a
 * {@link GraphDriver}, limits from {@link PodCgroups}, and processes run by {@code capstan-shim}.
 *
 * <p>A sandbox is a directory {@code <data-dir>/runtime/sandboxes/<pod-uid>/} (record
 * {@code sandbox.json} plus the holder's shim files), the pod cgroup, and a holder process with the
 * pod's UTS (hostname), IPC and network namespaces. A container is a directory
 * {@code <data-dir>/runtime/containers/<id>/} (record {@code container.json}, {@code image-id}, the
 * shim's {@code pid} and {@code exit} files), a root filesystem from the graph driver, a container
 * cgroup and a shim that supervises the process and writes its CRI log to
 * {@code <data-dir>/logs/<namespace>_<pod>_<uid>/<container>/<attempt>.log}.
 *
 * <p>Everything is on disk, so {@link #open} over a data directory an earlier agent used re-adopts
 * its sandboxes and running containers without restarting them, reports containers that exited
 * meanwhile with their real exit codes, and reports adopted containers' later exits to the exit
 * listeners. Stopping a container or sandbox that does not exist returns {@code null} / does
 * nothing.
 */
public final class NativeContainerRuntime implements ContainerRuntime {
    private static final Logger LOG = Logger.getLogger(NativeContainerRuntime.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final RuntimeConfig config;
    private final ImageStore images;
    private final GraphDriver graph;
    private final PodCgroups cgroups;
    private final Shim shim;
    private final ContainerStarter starter;
    private final ContainerStreams streams;
    private final Map<String, ContainerEntry> containers = new ConcurrentHashMap<>();
    private final Map<String, SandboxEntry> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, Object> podLocks = new ConcurrentHashMap<>();
    private final List<ExitListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService exits;

    private NativeContainerRuntime(RuntimeConfig config, ImageStore images, GraphDriver graph, PodCgroups cgroups,
            Shim shim) {
        this.config = config;
        this.images = images;
        this.graph = graph;
        this.cgroups = cgroups;
        this.shim = shim;
        this.starter = new ContainerStarter(config, images, graph, cgroups, shim);
        this.streams = new ContainerStreams(shim, cgroups);
        this.exits = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "capstan-runtime-exits");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the runtime over {@code config.dataDir()}: installs the shim, opens the image store, the
     * graph driver and the cgroups, and adopts what an earlier agent left.
     *
     * @throws IOException if the shim cannot be installed, the graph driver does not work here or
     *     the cgroup hierarchies are unusable
     */
    public static NativeContainerRuntime open(RuntimeConfig config) throws IOException {
        Shim shim = Shim.install(config.dataDir());
        ImageStore images = ImageStore.open(config.dataDir(), ImageUsage.fromContainerState(config.dataDir()));
        PodCgroups cgroups;
        try {
            cgroups = PodCgroups.open(config.cgroupConfig());
        } catch (CgroupException e) {
            throw new IOException(e.getMessage(), e);
        }
        GraphDriver graph = GraphDrivers.open(config.graphDriver(), config.dataDir());
        NativeContainerRuntime rt = new NativeContainerRuntime(config, images, graph, cgroups, shim);
        try {
            new Adoption(config, graph, cgroups).adopt(rt.sandboxes, rt.containers);
        } catch (IOException | RuntimeException e) {
            rt.close();
            throw e;
        }
        rt.containers.values().forEach(rt::watch);
        return rt;
    }

    /** The configuration this runtime runs with. */
    public RuntimeConfig config() {
        return config;
    }

    /** The node's image store, which is also the agent's {@link io.capstan.node.cri.ImageService}. */
    public ImageStore images() {
        return images;
    }

    /** The cgroups of the pods and containers (stats, for the agent's summaries). */
    public PodCgroups cgroups() {
        return cgroups;
    }

    private Object podLock(String podUid) {
        return podLocks.computeIfAbsent(podUid, k -> new Object());
    }

    @Override
    public SandboxStatus runSandbox(SandboxSpec spec) throws RuntimeFailure {
        synchronized (podLock(spec.podUid())) {
            SandboxEntry existing = sandboxes.get(spec.podUid());
            if (existing != null && existing.ready()) {
                return existing.status();
            }
            SandboxEntry created = Sandboxes.create(config, cgroups, shim, spec, existing);
            sandboxes.put(spec.podUid(), created);
            return created.status();
        }
    }

    @Override
    public void removeSandbox(String podUid) throws RuntimeFailure {
        synchronized (podLock(podUid)) {
            for (ContainerEntry c : List.copyOf(containers.values())) {
                if (c.podUid().equals(podUid)) {
                    stopContainer(c.id(), Duration.ZERO);
                    removeContainer(c.id());
                }
            }
            SandboxEntry entry = sandboxes.remove(podUid);
            Sandboxes.remove(config, cgroups, podUid, entry);
        }
    }

    @Override
    public List<SandboxStatus> listSandboxes() {
        return sandboxes.values().stream().map(SandboxEntry::status)
                .sorted(Comparator.comparing(SandboxStatus::createdAt)).toList();
    }

    @Override
    public ContainerStatus startContainer(ContainerSpec spec) throws RuntimeFailure {
        SandboxEntry sandbox = sandboxes.get(spec.podUid());
        if (sandbox == null || !sandbox.ready()) {
            throw new RuntimeFailure("CreateContainerError", "the sandbox of pod " + spec.podUid() + " is not running");
        }
        ContainerEntry entry = starter.start(spec, sandbox.record(), sandbox.holderPid());
        containers.put(entry.id(), entry);
        watch(entry);
        return entry.status(cgroups);
    }

    /** Reports the container's exit to the listeners once its shim is gone. */
    private void watch(ContainerEntry entry) {
        entry.shim().onExit().whenComplete((s, t) -> {
            try {
                exits.execute(() -> reportExit(entry));
            } catch (RejectedExecutionException closed) {
                // the runtime was closed: a new one reports the exit from the exit file
            }
        });
    }

    private void reportExit(ContainerEntry entry) {
        entry.finish(cgroups);
        ContainerStatus status = entry.status(cgroups);
        if (!entry.markReported()) {
            return;
        }
        for (ExitListener l : listeners) {
            try {
                l.exited(status);
            } catch (RuntimeException e) {
                LOG.warnf(e, "exit listener failed for container %s", entry.id());
            }
        }
    }

    @Override
    public ContainerStatus stopContainer(String containerId, Duration gracePeriod) throws RuntimeFailure {
        ContainerEntry entry = containers.get(containerId);
        if (entry == null) {
            return null;
        }
        try {
            if (entry.running()) {
                entry.shim().terminate();
                if (!awaitExit(entry, gracePeriod)) {
                    entry.shim().kill();
                    awaitExit(entry, KILL_WAIT);
                }
            }
            // Backstop: whatever is left in the container's cgroup (e.g. a process that escaped the
            // pid namespace's end) is killed too.
            cgroups.killContainer(entry.podUid(), containerId);
            if (!awaitExit(entry, KILL_WAIT)) {
                throw new RuntimeFailure("KillContainerError",
                        "container " + containerId + " did not exit after SIGKILL");
            }
        } catch (IOException | CgroupException e) {
            throw new RuntimeFailure("KillContainerError", "cannot stop container " + containerId + ": "
                    + e.getMessage(), e);
        }
        return entry.status(cgroups);
    }

    private static boolean awaitExit(ContainerEntry entry, Duration timeout) {
        try {
            entry.shim().onExit().get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !entry.shim().isRunning();
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    @Override
    public void removeContainer(String containerId) throws RuntimeFailure {
        ContainerEntry entry = containers.get(containerId);
        if (entry == null) {
            return;
        }
        if (entry.running()) {
            stopContainer(containerId, Duration.ZERO);
        }
        entry.finish(cgroups);
        try {
            graph.release(containerId);
            cgroups.removeContainer(entry.podUid(), containerId);
            StateFiles.deleteTree(entry.dir());
        } catch (IOException | CgroupException e) {
            throw new RuntimeFailure("RemoveContainerError", "cannot remove container " + containerId + ": "
                    + e.getMessage(), e);
        }
        containers.remove(containerId);
    }

    @Override
    public List<ContainerStatus> listContainers() {
        return containers.values().stream().map(c -> c.status(cgroups))
                .sorted(Comparator.comparing(ContainerStatus::podUid).thenComparing(ContainerStatus::name)
                        .thenComparingInt(ContainerStatus::attempt))
                .toList();
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        return Optional.ofNullable(containers.get(containerId)).map(c -> c.status(cgroups));
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) throws RuntimeFailure {
        ContainerEntry entry = containers.get(containerId);
        if (entry == null || !entry.running()) {
            throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running");
        }
        var launch = streams.launch(entry, command);
        try {
            return shim.exec(launch.build(), timeout);
        } catch (IOException e) {
            throw new RuntimeFailure("ExecError", "cannot exec in container " + containerId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("ExecError", "interrupted while running a command in container " + containerId, e);
        }
    }

    @Override
    public ExecSession execStream(String containerId, List<String> command, ExecOptions options)
            throws RuntimeFailure {
        return streams.execStream(containers.get(containerId), containerId, command, options);
    }

    @Override
    public ContainerInput attach(String containerId) throws RuntimeFailure {
        return streams.attach(containers.get(containerId), containerId);
    }

    @Override
    public PodConnection portForward(String podUid, int port) throws RuntimeFailure {
        return streams.portForward(sandboxes.get(podUid), podUid, port);
    }

    @Override
    public void addExitListener(ExitListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeExitListener(ExitListener listener) {
        listeners.remove(listener);
    }

    /** Stops the runtime's threads and closes the graph driver; containers and sandboxes keep running. */
    @Override
    public void close() {
        exits.shutdownNow();
        try {
            graph.close();
        } catch (IOException e) {
            LOG.warnf("closing the graph driver: %s", e.getMessage());
        }
    }
}
