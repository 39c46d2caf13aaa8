package io.capstan.node.agent.pod;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SandboxStatus;
import io.capstan.node.agent.net.PodNetworking;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Removes what the runtime holds for pods this node no longer has in the API (deleted while the
 * agent was down, removed by force, or deleted with grace period 0): their running containers are
 * stopped with the orphan grace period, each on its own thread (so a sweep never waits for one),
 * and removed, then their sandboxes. Runs once the pod cache has synced (before any pod is synced,
 * so containers of pods that still exist are re-adopted, not touched) and then periodically.
 */
final class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final SharedIndexInformer<Pod> pods;
    private final ContainerRuntime runtime;
    private final Duration grace;
    private final Consumer<String> forget;
    /** Orphaned containers being stopped (their ids). */
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final ExecutorService stops = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "orphan-stop");
        t.setDaemon(true);
        return t;
    });

    private final PodNetworking network;

    Housekeeping(SharedIndexInformer<Pod> pods, ContainerRuntime runtime, PodNetworking network, Duration grace,
            Consumer<String> forget) {
        this.pods = pods;
        this.network = network;
        this.runtime = runtime;
        this.grace = grace;
        this.forget = forget;
    }

    /** Removes the containers and sandboxes of pods missing from the cache. */
    synchronized void sweep() {
        if (!pods.hasSynced()) {
            return;
        }
        // The runtime first, then the cache: a container listed was started from a pod already cached,
        // so a pod that arrives meanwhile is never taken for an orphan.
        List<ContainerStatus> containers = runtime.listContainers();
        List<SandboxStatus> sandboxes = runtime.listSandboxes();
        Set<String> live = pods.getStore().list().stream().map(p -> p.getMetadata().getUid())
                .collect(Collectors.toSet());
        Set<String> busyPods = new HashSet<>();
        for (ContainerStatus c : containers) {
            if (live.contains(c.podUid())) {
                continue;
            }
            if (RuntimePods.running(c) || stopping.contains(c.id())) {
                busyPods.add(c.podUid());
                stopLater(c);
                continue;
            }
            try {
                runtime.removeContainer(c.id());
            } catch (RuntimeFailure e) {
                LOG.warnf("removing orphaned container=%s: %s %s", c.id(), e.reason(), e.getMessage());
            }
            forget.accept(c.podUid());
        }
        for (SandboxStatus s : sandboxes) {
            if (live.contains(s.podUid()) || busyPods.contains(s.podUid())) {
                continue;
            }
            try {
                runtime.removeSandbox(s.podUid());
                network.detach(s.podUid());
                LOG.infof("removed orphaned sandbox pod=%s/%s uid=%s", s.namespace(), s.name(), s.podUid());
            } catch (java.io.IOException e) {
                LOG.warnf("removing the network of orphaned sandbox uid=%s: %s", s.podUid(), e.getMessage());
            } catch (RuntimeFailure e) {
                LOG.warnf("removing orphaned sandbox uid=%s: %s %s", s.podUid(), e.reason(), e.getMessage());
            }
            forget.accept(s.podUid());
        }
    }

    /**
     * Stops a running orphan with the orphan grace period on a thread of its own, as kubelet kills
     * orphaned pods in parallel (each may take the whole grace period: a process that ignores
     * SIGTERM), then sweeps again to remove it and, once its pod has nothing running, the sandbox.
     */
    private void stopLater(ContainerStatus c) {
        if (!stopping.add(c.id())) {
            return;
        }
        try {
            stops.execute(() -> {
                try {
                    LOG.infof("stopping orphaned container=%s name=%s pod-uid=%s", c.id(), c.name(), c.podUid());
                    runtime.stopContainer(c.id(), grace);
                } catch (RuntimeFailure e) {
                    LOG.warnf("stopping orphaned container=%s: %s %s", c.id(), e.reason(), e.getMessage());
                } finally {
                    stopping.remove(c.id());
                }
                sweepQuietly();
            });
        } catch (RejectedExecutionException e) {
            stopping.remove(c.id());
        }
    }

    /** {@link #sweep()} for a background thread: failures are logged. */
    void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("housekeeping failed: %s", e.toString());
        }
    }
}
