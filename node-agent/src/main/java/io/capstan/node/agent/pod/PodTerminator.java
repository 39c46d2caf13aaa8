package io.capstan.node.agent.pod;

import io.capstan.node.agent.status.Sidecars;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.RuntimeFailure;
import io.fabric8.kubernetes.api.model.Container;
import io.capstan.node.agent.net.PodNetworking;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Ends a pod being deleted, as kubelet does, on its own threads: every running container, in
 * parallel, runs its preStop exec hook (within the grace period) and is stopped with what is left
 * of the grace period (at least 2 s, kubelet's minimum), sidecars after the others; then the
 * containers and the sandbox are removed and the deletion is confirmed to the API
 * (gracePeriodSeconds 0 with a uid precondition, so a new pod of the same name is never deleted).
 * The grace period is the pod's deletionGracePeriodSeconds, else its terminationGracePeriodSeconds,
 * else 30 s. Also stops the sidecars of a pod whose app containers are done.
 */
final class PodTerminator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodTerminator.class);
    static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);

    private final ContainerRuntime runtime;
    private final KubernetesClient client;
    private final Clock clock;
    private final PodEvents events;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pod-terminator");
        t.setDaemon(true);
        return t;
    });

    private final PodNetworking network;

    PodTerminator(ContainerRuntime runtime, KubernetesClient client, Clock clock, PodEvents events,
            PodNetworking network) {
        this.events = events;
        this.network = network;
        this.runtime = runtime;
        this.client = client;
        this.clock = clock;
    }

    static Duration gracePeriod(Pod pod) {
        Long g = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (g == null) {
            g = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        return Duration.ofSeconds(g == null ? 30 : Math.max(0, g));
    }

    /**
     * Starts ending {@code pod} on a terminator thread unless that is already under way, so a long
     * grace period holds no pod worker. {@code done} runs once the pod is confirmed deleted;
     * {@code retry} when ending it failed (the caller tries again later).
     */
    void terminateAsync(Pod pod, Runnable done, Runnable retry) {
        String uid = pod.getMetadata().getUid();
        if (!inFlight.add(uid)) {
            return;
        }
        try {
            threads.execute(() -> {
                boolean ok = false;
                try {
                    terminate(pod);
                    ok = true;
                } catch (Exception e) {
                    LOG.warnf("ending pod=%s/%s failed: %s", pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(), e.toString());
                } finally {
                    inFlight.remove(uid);
                }
                (ok ? done : retry).run();
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(uid); // closing
        }
    }

    /**
     * Stops and removes everything of {@code pod} on this node, then deletes it from the API. Each
     * running container, in parallel as kubelet does, runs its preStop hook and is then stopped with
     * what is left of the grace period.
     */
    void terminate(Pod pod) throws RuntimeFailure, InterruptedException, java.io.IOException {
        String uid = pod.getMetadata().getUid();
        Instant deadline = clock.instant().plus(gracePeriod(pod));
        Set<String> sidecars = Sidecars.names(pod);
        List<ContainerStatus> running = new ArrayList<>();
        for (List<ContainerStatus> attempts : RuntimePods.containers(runtime, uid).values()) {
            attempts.stream().filter(RuntimePods::running).forEach(running::add);
        }
        // App and init containers first, then the sidecars they may still need.
        stopAll(pod, running.stream().filter(c -> !sidecars.contains(c.name())).toList(), deadline);
        stopAll(pod, running.stream().filter(c -> sidecars.contains(c.name())).toList(), deadline);
        removeAll(runtime, uid);
        network.detach(uid); // after the sandbox: DEL releases the address, then the namespace goes
        confirmDeletion(pod);
    }

    /**
     * Stops the running sidecars of a pod whose app containers are done, in the background, with the
     * pod's termination grace period.
     */
    void stopSidecars(Pod pod, Map<String, List<ContainerStatus>> containers) {
        Set<String> sidecars = Sidecars.names(pod);
        Instant deadline = clock.instant().plus(Duration.ofSeconds(
                pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30
                        : Math.max(0, pod.getSpec().getTerminationGracePeriodSeconds())));
        for (String name : sidecars) {
            ContainerStatus c = RuntimePods.latest(containers, name);
            if (c == null || !RuntimePods.running(c) || !inFlight.add(c.id())) {
                continue;
            }
            try {
                threads.execute(() -> {
                    try {
                        stopAll(pod, List.of(c), deadline);
                    } catch (Exception e) {
                        LOG.warnf("stopping sidecar=%s of pod=%s/%s: %s", c.name(), pod.getMetadata().getNamespace(),
                                pod.getMetadata().getName(), e.toString());
                    } finally {
                        inFlight.remove(c.id());
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.remove(c.id());
            }
        }
    }

    /** Runs the preStop hooks and stops {@code containers} in parallel, all by {@code deadline}. */
    private void stopAll(Pod pod, List<ContainerStatus> containers, Instant deadline)
            throws RuntimeFailure, InterruptedException {
        List<Future<?>> stops = new ArrayList<>();
        for (ContainerStatus c : containers) {
            stops.add(threads.submit(() -> {
                events.normal(pod, c.name(), "Killing", "Stopping container " + c.name());
                preStop(pod, c, deadline);
                Duration left = Duration.between(clock.instant(), deadline);
                runtime.stopContainer(c.id(), left.compareTo(MINIMUM_GRACE) < 0 ? MINIMUM_GRACE : left);
                return null;
            }));
        }
        for (Future<?> stop : stops) {
            try {
                stop.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeFailure f) {
                    throw f;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    private void preStop(Pod pod, ContainerStatus c, Instant deadline) {
        Container spec = Stream.concat(pod.getSpec().getContainers().stream(),
                        pod.getSpec().getInitContainers() == null ? Stream.empty()
                                : pod.getSpec().getInitContainers().stream())
                .filter(s -> s.getName().equals(c.name())).findFirst().orElse(null);
        if (spec == null || spec.getLifecycle() == null || spec.getLifecycle().getPreStop() == null
                || spec.getLifecycle().getPreStop().getExec() == null) {
            return;
        }
        List<String> command = spec.getLifecycle().getPreStop().getExec().getCommand();
        Duration timeout = Duration.between(clock.instant(), deadline);
        try {
            var result = runtime.exec(c.id(), command == null ? List.of() : command,
                    timeout.isNegative() ? Duration.ZERO : timeout);
            if (result.exitCode() != 0) {
                LOG.infof("preStop hook of container=%s pod=%s/%s exited %d: %s", c.name(),
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), result.exitCode(),
                        result.output());
            }
        } catch (RuntimeFailure e) {
            LOG.infof("preStop hook of container=%s pod=%s/%s failed: %s", c.name(), pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
        }
    }

    /** Removes every container of pod {@code uid} (stopping, without grace, any still running) and its sandbox. */
    static void removeAll(ContainerRuntime runtime, String uid) throws RuntimeFailure {
        for (ContainerStatus c : runtime.listContainers()) {
            if (!uid.equals(c.podUid())) {
                continue;
            }
            if (RuntimePods.running(c)) {
                runtime.stopContainer(c.id(), Duration.ZERO);
            }
            runtime.removeContainer(c.id());
        }
        runtime.removeSandbox(uid);
    }

    /** DELETE with gracePeriodSeconds 0 and a uid precondition; a pod already gone or replaced is fine. */
    private void confirmDeletion(Pod pod) {
        var ser = client.getKubernetesSerialization();
        String body = ser.asJson(Map.of("kind", "DeleteOptions", "apiVersion", "v1", "gracePeriodSeconds", 0,
                "preconditions", Map.of("uid", pod.getMetadata().getUid())));
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/"
                + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .delete("application/json", body).build();
        try {
            HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get();
            int code = response.code();
            if (code >= 300 && code != 404 && code != 409) {
                throw new IllegalStateException("deleting pod " + pod.getMetadata().getNamespace() + "/"
                        + pod.getMetadata().getName() + ": HTTP " + code + " " + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("deleting pod " + pod.getMetadata().getName(), e.getCause());
        }
    }
}
