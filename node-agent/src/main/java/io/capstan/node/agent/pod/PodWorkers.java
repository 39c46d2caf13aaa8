package io.capstan.node.agent.pod;

import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Request;
import io.capstan.node.agent.AgentConfig;
import io.capstan.node.agent.env.ApiEnvSources;
import io.capstan.node.agent.env.EnvResolver;
import io.capstan.node.agent.net.PodNetworking;
import io.capstan.node.agent.probe.ProbeEvents;
import io.capstan.node.agent.probe.ProbeManager;
import io.capstan.node.agent.status.PodStatusWriter;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ImageService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pod side of the agent: a watch of the pods bound to this node (field selector
 * {@code spec.nodeName}) feeding a work queue with {@link AgentConfig#podWorkers()} workers, built
 * on the controllers' runtime. The queue key is the pod's namespace/name, so one pod is never synced
 * by two workers at once; a container exit reported by the runtime enqueues its pod. Housekeeping
 * of orphaned runtime containers runs once the cache has synced and then every housekeeping interval;
 * every pod is synced again every pod sync interval.
 */
public final class PodWorkers implements AutoCloseable {
    private final ControllerManager manager;
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;
    private final ContainerRuntime runtime;
    private final ContainerRuntime.ExitListener exitListener;
    private final SharedIndexInformer<Pod> pods;
    private final Controller controller;
    private final PodTerminator terminator;
    private final PodEvents events;
    private final ProbeManager probes;

    public PodWorkers(AgentConfig config, KubernetesClient client, ContainerRuntime runtime, ImageService images,
            Clock clock, Supplier<String> hostIp, Supplier<Map<String, Quantity>> allocatable, PodNetworking network) {
        this.manager = new ControllerManager(client);
        this.runtime = runtime;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pod-housekeeping-" + config.nodeName());
            t.setDaemon(true);
            return t;
        });
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace()
                .withField("spec.nodeName", config.nodeName()).runnableInformer(0);
        WaitingReasons waiting = new WaitingReasons();
        PodKeys keys = new PodKeys();
        this.events = new PodEvents(client, clock, config.nodeName());
        ContainerStarter starter = new ContainerStarter(runtime, images, new EnvResolver(new ApiEnvSources(client)),
                clock, waiting, events, network);
        PodStatusWriter statuses = new PodStatusWriter(client);
        Controller[] self = new Controller[1];
        this.probes = new ProbeManager(runtime, clock, probeEvents(events), uid -> {
            Request key = keys.get(uid);
            if (key != null && self[0] != null && !closed) {
                self[0].enqueue(key);
            }
        });
        Housekeeping housekeeping = new Housekeeping(pods, runtime, network, config.orphanGracePeriod(), uid -> {
            probes.remove(uid);
            keys.remove(uid);
            waiting.forget(uid);
            starter.forget(uid);
            statuses.forget(uid);
        });
        this.terminator = new PodTerminator(runtime, client, clock, events, network);
        PodSyncer syncer = new PodSyncer(pods, runtime, starter, terminator, statuses, waiting, keys, housekeeping,
                hostIp, allocatable, config.podResyncInterval(), clock, key -> retryLater(self[0], key), network,
                events, probes);
        long period = config.housekeepingInterval().toMillis();
        long sync = config.podSyncInterval().toMillis();
        Controller controller = Controller.builder("pods-" + config.nodeName(), syncer)
                .workers(config.podWorkers()).primary(pods)
                .onStart(() -> {
                    housekeeping.sweepQuietly();
                    // pods' networks left by a crash or missed deletions go before any pod is synced
                    network.gc(pods.getStore().list().stream().map(p -> p.getMetadata().getUid())
                            .collect(java.util.stream.Collectors.toSet()));
                    ticker.scheduleWithFixedDelay(housekeeping::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
                    ticker.scheduleWithFixedDelay(() -> probes.retain(pods.getStore().list().stream()
                            .map(p -> p.getMetadata().getUid()).collect(java.util.stream.Collectors.toSet())),
                            period, period, TimeUnit.MILLISECONDS);
                    ticker.scheduleWithFixedDelay(this::syncAll, sync, sync, TimeUnit.MILLISECONDS);
                })
                .build();
        this.pods = pods;
        this.controller = controller;
        self[0] = controller;
        this.exitListener = status -> {
            Request key = keys.get(status.podUid());
            if (key != null && !closed) {
                controller.enqueue(key);
            }
        };
        runtime.addExitListener(exitListener);
        manager.register(controller);
    }

    private static ProbeEvents probeEvents(PodEvents events) {
        return new ProbeEvents() {
            @Override
            public void normal(Pod pod, String container, String reason, String message) {
                events.normal(pod, container, reason, message);
            }

            @Override
            public void warning(Pod pod, String container, String reason, String message) {
                events.warning(pod, container, reason, message);
            }
        };
    }

    /** A failed termination is tried again after this long. */
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(1);

    private void retryLater(Controller c, Request key) {
        if (closed) {
            return;
        }
        try {
            ticker.schedule(() -> c.enqueue(key), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Enqueues every pod of the node (kubelet's periodic sync). */
    private void syncAll() {
        if (!closed) {
            pods.getStore().list().forEach(p -> controller.enqueue(Request.of(p)));
        }
    }

    /** The pod of this node named {@code namespace}/{@code name} as last watched, or {@code null}. */
    public Pod pod(String namespace, String name) {
        return pods.getStore().getByKey(namespace + "/" + name);
    }

    /** Starts the pod watch and, once it has synced, the workers. */
    public void start() throws Exception {
        manager.start();
    }

    @Override
    public void close() {
        closed = true;
        runtime.removeExitListener(exitListener);
        ticker.shutdownNow();
        probes.close();
        manager.close();
        terminator.close();
        events.close();
    }
}
