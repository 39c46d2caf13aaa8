package io.capstan.node.agent.probe;

import io.capstan.node.agent.status.ContainerHealth;
import io.capstan.node.agent.status.Sidecars;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The agent's probes (kubelet's prober manager): {@link #sync} starts a {@link ProbeWorker} for each
 * probe of each app container and sidecar of a pod the first time it sees them, and keeps the pod's
 * latest object and IP for them; {@link #remove} stops a pod's workers. Workers that start within a
 * period of the agent's start wait a random part of their period first, so an agent restarted over
 * many pods does not probe them all at once.
 *
 * <p>{@link #health} is what the pod status reads: a container is started once its startup probe
 * succeeded (at once without one) and ready once started and its readiness probe succeeded (at once
 * without one); asking about a container not known to be ready triggers its readiness probe, as
 * kubelet does. A published change enqueues the pod ({@code podChanged}); a liveness or startup
 * failure kills the container ({@link FailureKiller}) and the pod sync restarts it per its policy.
 */
public final class ProbeManager implements AutoCloseable {
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final ProbeEvents events;
    private final Prober prober;
    private final Consumer<String> podChanged;
    private final FailureKiller killer;
    private final long startNanos = System.nanoTime();
    private final Map<String, PodProbes> pods = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "probe-timer"));
    private final ExecutorService runners = Executors.newCachedThreadPool(r -> daemon(r, "probe-worker"));
    private volatile boolean closed;

    /** A pod's workers by "container/KIND", ended ones included (they are not started again). */
    private static final class PodProbes {
        final String uid;
        final Map<String, WorkerLoop> loops = new ConcurrentHashMap<>();
        volatile Pod pod;
        volatile String podIp;

        PodProbes(String uid) {
            this.uid = uid;
        }
    }

    /**
     * @param podChanged called with a pod's uid when a probe result changed (its status should be
     *     computed again)
     */
    public ProbeManager(ContainerRuntime runtime, Clock clock, ProbeEvents events, Consumer<String> podChanged) {
        this(runtime, clock, events, podChanged, new Handlers(runtime));
    }

    ProbeManager(ContainerRuntime runtime, Clock clock, ProbeEvents events, Consumer<String> podChanged,
            Prober prober) {
        this.runtime = runtime;
        this.clock = clock;
        this.events = events;
        this.podChanged = podChanged;
        this.prober = prober;
        this.killer = new FailureKiller(runtime, events);
    }

    /** Starts the workers of {@code pod}'s probes not started yet; {@code podIp} is its address (or null). */
    public void sync(Pod pod, String podIp) {
        if (closed) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        PodProbes p = pods.computeIfAbsent(uid, PodProbes::new);
        p.pod = pod;
        p.podIp = podIp;
        for (Container c : probed(pod)) {
            for (ProbeKind kind : ProbeKind.values()) {
                if (kind.of(c) != null && !p.loops.containsKey(key(c.getName(), kind))) {
                    start(p, c, kind);
                }
            }
        }
    }

    private void start(PodProbes p, Container c, ProbeKind kind) {
        ProbeWorker worker = new ProbeWorker(kind, c, view(p, c.getName()), prober, events, clock,
                new ProbeWorker.Listener() {
                    @Override
                    public void changed(ProbeWorker w) {
                        podChanged.accept(p.uid);
                    }

                    @Override
                    public void failed(ProbeWorker w, Pod pod, ContainerStatus container) {
                        killer.kill(w.kind(), pod, w.container(), container);
                    }
                });
        WorkerLoop loop = new WorkerLoop(worker, timer, runners);
        p.loops.put(key(c.getName(), kind), loop);
        Duration period = worker.period();
        boolean justStarted = System.nanoTime() - startNanos < period.toNanos();
        loop.start(justStarted ? Duration.ofMillis(ThreadLocalRandom.current().nextLong(period.toMillis()))
                : Duration.ZERO);
    }

    private ProbeWorker.View view(PodProbes p, String name) {
        return new ProbeWorker.View() {
            @Override
            public Pod pod() {
                return p.pod;
            }

            @Override
            public String podIp() {
                return p.podIp;
            }

            @Override
            public ContainerStatus container() {
                return runtime.listContainers().stream()
                        .filter(c -> p.uid.equals(c.podUid()) && name.equals(c.name()))
                        .max(Comparator.comparingInt(ContainerStatus::attempt).thenComparing(
                                c -> c.startedAt() == null ? java.time.Instant.MIN : c.startedAt()))
                        .orElse(null);
            }

            @Override
            public boolean started(String containerId) {
                return startedIn(p, name, containerId);
            }
        };
    }

    /** Stops the workers of pod {@code uid} (gone, or finished). */
    public void remove(String uid) {
        PodProbes p = pods.remove(uid);
        if (p != null) {
            p.loops.values().forEach(WorkerLoop::stop);
        }
    }

    /** Stops the workers of every pod not in {@code live} (pods that left without a last sync). */
    public void retain(java.util.Set<String> live) {
        pods.keySet().stream().filter(uid -> !live.contains(uid)).toList().forEach(this::remove);
    }

    /** What the probes say about pod {@code uid}'s running containers. */
    public ContainerHealth health(String uid) {
        return new ContainerHealth() {
            @Override
            public boolean started(String container, String containerId) {
                PodProbes p = pods.get(uid);
                return p == null || startedIn(p, container, containerId);
            }

            @Override
            public boolean ready(String container, String containerId) {
                PodProbes p = pods.get(uid);
                if (p == null) {
                    return true;
                }
                if (!startedIn(p, container, containerId)) {
                    return false;
                }
                WorkerLoop readiness = live(p, container, ProbeKind.READINESS);
                if (readiness == null) {
                    return true;
                }
                if (readiness.worker().result(containerId) == ProbeResult.SUCCESS) {
                    return true;
                }
                readiness.trigger();
                return false;
            }
        };
    }

    private static boolean startedIn(PodProbes p, String container, String containerId) {
        WorkerLoop startup = live(p, container, ProbeKind.STARTUP);
        return startup == null || startup.worker().result(containerId) == ProbeResult.SUCCESS;
    }

    /** The container's worker of {@code kind} while it runs, else null (none, or it ended). */
    private static WorkerLoop live(PodProbes p, String container, ProbeKind kind) {
        WorkerLoop l = p.loops.get(key(container, kind));
        return l == null || l.stopped() ? null : l;
    }

    /** The containers kubelet probes: the app containers and the sidecars. */
    private static List<Container> probed(Pod pod) {
        List<Container> out = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().stream().filter(Sidecars::isSidecar).forEach(out::add);
        }
        return out;
    }

    private static String key(String container, ProbeKind kind) {
        return container + "/" + kind;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        pods.keySet().forEach(this::remove);
        timer.shutdownNow();
        runners.shutdownNow();
    }
}
