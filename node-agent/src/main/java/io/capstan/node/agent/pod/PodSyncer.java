package io.capstan.node.agent.pod;

import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.capstan.node.agent.env.EnvResolver;
import io.capstan.node.agent.net.PodNetworking;
import io.capstan.node.agent.probe.ProbeManager;
import io.capstan.node.agent.status.PodStatusWriter;
import io.capstan.node.agent.status.Sidecars;
import io.capstan.node.cgroup.QosClass;
import io.capstan.node.cgroup.Resources;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SandboxSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Syncs one pod bound to this node with the runtime, the way a kubelet pod worker does: a pod
 * being deleted is handed to the {@link PodTerminator} (which ends it on its own threads);
 * otherwise the sandbox is made, init containers run one at a time in order (each must exit 0
 * before the next starts; a sidecar — restartPolicy Always — only has to be running), then every
 * app container is started, and containers that exited are restarted when the restart policy says so
 * (Always: always; OnFailure: on a non-zero exit; Never: not; sidecars always), with back-off. Once
 * the app containers are done for good, the sidecars are stopped. A pod in a terminal
 * phase is left as it is. Containers that already run are kept: an agent restarted over a live
 * runtime re-adopts them, and restartCount (the newest attempt) does not move. Then the status is
 * written if it changed, with readiness and startup as the pod's probes say (the
 * {@link ProbeManager} runs them; a sidecar must pass its startup probe before the next init
 * container starts). The sync asks to run again when a back-off or image wait ends; container
 * exits, probe results and API changes enqueue it at once.
 */
final class PodSyncer implements Reconciler {
    private static final Logger LOG = Logger.getLogger(PodSyncer.class);

    private final SharedIndexInformer<Pod> pods;
    private final ContainerRuntime runtime;
    private final ContainerStarter starter;
    private final PodTerminator terminator;
    private final PodStatusWriter statuses;
    private final WaitingReasons waiting;
    private final PodKeys keys;
    private final Housekeeping housekeeping;
    private final Supplier<String> hostIp;
    private final Supplier<Map<String, io.fabric8.kubernetes.api.model.Quantity>> allocatable;
    private final Duration resync;
    private final Clock clock;
    private final java.util.function.Consumer<Request> retry;
    private final PodNetworking network;
    private final PodEvents events;
    private final ProbeManager probes;

    PodSyncer(SharedIndexInformer<Pod> pods, ContainerRuntime runtime, ContainerStarter starter,
            PodTerminator terminator, PodStatusWriter statuses, WaitingReasons waiting, PodKeys keys,
            Housekeeping housekeeping, Supplier<String> hostIp,
            Supplier<Map<String, io.fabric8.kubernetes.api.model.Quantity>> allocatable, Duration resync, Clock clock,
            java.util.function.Consumer<Request> retry, PodNetworking network, PodEvents events, ProbeManager probes) {
        this.probes = probes;
        this.network = network;
        this.events = events;
        this.pods = pods;
        this.runtime = runtime;
        this.starter = starter;
        this.terminator = terminator;
        this.statuses = statuses;
        this.waiting = waiting;
        this.keys = keys;
        this.housekeeping = housekeeping;
        this.hostIp = hostIp;
        this.allocatable = allocatable;
        this.resync = resync;
        this.clock = clock;
        this.retry = retry;
    }

    @Override
    public Result reconcile(Request request) throws Exception {
        MDC.put("pod", request.cacheKey());
        try {
            return sync(request);
        } finally {
            MDC.remove("pod");
        }
    }

    private Result sync(Request request) throws Exception {
        Pod pod = pods.getStore().getByKey(request.cacheKey());
        if (pod == null) {
            housekeeping.sweep();
            return Result.done();
        }
        String uid = pod.getMetadata().getUid();
        keys.put(uid, request);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            probes.sync(pod, pod.getStatus() == null ? null : pod.getStatus().getPodIP()); // liveness ends quietly
            terminator.terminateAsync(pod, () -> forget(uid), () -> retry.accept(request));
            return Result.done();
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        String host = hostIp.get();
        String podIp = hostNetwork ? host : null;
        boolean sandboxReady;
        Duration next = null;
        if (!terminal) {
            PodNetworking.Attachment net = attach(pod);
            if (net != null) {
                podIp = net.ips().isEmpty() ? null : net.ips().get(0);
            }
            sandboxReady = (net != null || !needsNetwork(pod)) && sandboxUp(pod, net);
            probes.sync(pod, podIp);
            next = sandboxReady ? startContainers(pod, new EnvResolver.PodContext(podIp, host, allocatable.get()))
                    : resync;
        } else {
            sandboxReady = runtime.listSandboxes().stream().anyMatch(s -> uid.equals(s.podUid()) && s.ready());
            probes.remove(uid);
            if (!hostNetwork && pod.getStatus() != null) {
                podIp = pod.getStatus().getPodIP(); // a finished pod keeps the address it had
            }
        }
        Map<String, List<ContainerStatus>> containers = RuntimePods.containers(runtime, uid);
        var observed = new PodStatusWriter.Observed(containers, waiting.of(uid), sandboxReady, host, podIp,
                qosClass(pod), probes.health(uid));
        statuses.write(pod, PodStatusWriter.compute(pod, observed, clock.instant()));
        if (next == null || next.isZero()) {
            return Result.done();
        }
        return Result.requeueAfter(next.compareTo(resync) > 0 ? resync : next);
    }

    private PodNetworking.Attachment failedNetwork(Pod pod, PodNetworking.SetupException e) {
        LOG.warnf("pod=%s/%s network setup failed: %s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                e.getMessage());
        events.warning(pod, null, "FailedCreatePodSandBox", "Failed to create pod sandbox: failed to set up network"
                + " for sandbox of pod " + pod.getMetadata().getName() + ": " + e.getMessage());
        return null;
    }

    /** The pod's network (set up before its sandbox), or null: none of its own, or setup failed. */
    private PodNetworking.Attachment attach(Pod pod) {
        try {
            return network.attach(pod);
        } catch (PodNetworking.SetupException e) {
            return failedNetwork(pod, e);
        }
    }

    /** Whether the pod must have a network of its own before its sandbox is made. */
    private boolean needsNetwork(Pod pod) {
        return network != PodNetworking.NONE && !Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    }

    /** Makes the pod's sandbox if needed, in the pod's network namespace; whether it is ready. */
    private boolean sandboxUp(Pod pod, PodNetworking.Attachment net) {
        try {
            SandboxSpec spec = sandbox(pod);
            if (net != null) {
                spec = spec.withNetns(net.netnsPath());
            }
            return runtime.runSandbox(spec).ready();
        } catch (RuntimeFailure f) {
            LOG.warnf("pod=%s/%s sandbox failed: %s %s", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), f.reason(), f.getMessage());
            starter.sandboxFailed(pod, f);
            return false;
        }
    }

    /** Starts what should run; returns the wait until something pending should be tried again, or null. */
    private Duration startContainers(Pod pod, EnvResolver.PodContext ctx) {
        String uid = pod.getMetadata().getUid();
        String policy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
        Map<String, List<ContainerStatus>> containers = RuntimePods.containers(runtime, uid);
        List<Container> init = pod.getSpec().getInitContainers() == null ? List.of()
                : pod.getSpec().getInitContainers();
        if (appsDone(pod, policy, containers)) {
            // The app containers are done for good: sidecars are stopped, nothing is started.
            terminator.stopSidecars(pod, containers);
            return null;
        }
        for (Container c : init) {
            ContainerStatus latest = RuntimePods.latest(containers, c.getName());
            if (Sidecars.isSidecar(c)) {
                if (RuntimePods.running(latest)) {
                    waiting.clear(uid, c.getName());
                    if (!probes.health(uid).started(c.getName(), latest.id())) {
                        return null; // its startup probe's success enqueues the pod
                    }
                    continue;
                }
                Duration wait = started(pod, c, latest, ctx, containers);
                if (wait == null) {
                    if (c.getStartupProbe() != null) {
                        return null; // just started: the next one waits for its startup probe
                    }
                    continue; // started: the next init container may start
                }
                return wait;
            }
            if (latest != null && !RuntimePods.running(latest) && Integer.valueOf(0).equals(latest.exitCode())) {
                waiting.clear(uid, c.getName());
                continue;
            }
            if (RuntimePods.running(latest)) {
                waiting.clear(uid, c.getName());
                return null;
            }
            if (latest != null && policy.equals("Never")) {
                waiting.clear(uid, c.getName());
                return null;
            }
            return started(pod, c, latest, ctx, containers);
        }
        Duration next = null;
        for (Container c : pod.getSpec().getContainers()) {
            ContainerStatus latest = RuntimePods.latest(containers, c.getName());
            if (RuntimePods.running(latest)) {
                waiting.clear(uid, c.getName());
                continue;
            }
            if (latest != null && !restarts(policy, latest)) {
                waiting.clear(uid, c.getName());
                continue;
            }
            next = min(next, started(pod, c, latest, ctx, containers));
        }
        return next;
    }

    private Duration started(Pod pod, Container c, ContainerStatus latest, EnvResolver.PodContext ctx,
            Map<String, List<ContainerStatus>> containers) {
        Duration wait = starter.start(pod, c, latest, ctx);
        if (wait.isZero() && latest != null) {
            // Keep only the attempt before the new one (lastState); remove older exited ones.
            for (ContainerStatus old : containers.getOrDefault(c.getName(), List.of())) {
                if (old != latest && !RuntimePods.running(old)) {
                    try {
                        runtime.removeContainer(old.id());
                    } catch (RuntimeFailure e) {
                        LOG.debugf("removing old container=%s: %s", old.id(), e.getMessage());
                    }
                }
            }
        }
        return wait.isZero() ? null : wait;
    }

    /** Whether every app container has run and exited, none to be restarted under {@code policy}. */
    static boolean appsDone(Pod pod, String policy, Map<String, List<ContainerStatus>> containers) {
        for (Container c : pod.getSpec().getContainers()) {
            ContainerStatus latest = RuntimePods.latest(containers, c.getName());
            if (latest == null || RuntimePods.running(latest) || restarts(policy, latest)) {
                return false;
            }
        }
        return !pod.getSpec().getContainers().isEmpty();
    }

    /** Whether an exited container is restarted under {@code policy}. */
    static boolean restarts(String policy, ContainerStatus exited) {
        return switch (policy) {
            case "Never" -> false;
            case "OnFailure" -> !Integer.valueOf(0).equals(exited.exitCode());
            default -> true;
        };
    }

    private static Duration min(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The pod's QoS class: {@code status.qosClass} as the API server set it, else computed the same way. */
    static String qosClass(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getQosClass() != null) {
            return pod.getStatus().getQosClass();
        }
        return QosClass.of(pod).value();
    }

    static SandboxSpec sandbox(Pod pod) throws RuntimeFailure {
        String hostname = pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty()
                ? pod.getSpec().getHostname() : pod.getMetadata().getName();
        // hostNetwork: the pod joins the agent's own network namespace (the host's).
        String netns = Boolean.TRUE.equals(pod.getSpec().getHostNetwork())
                ? "/proc/" + ProcessHandle.current().pid() + "/ns/net" : null;
        return new SandboxSpec(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), hostname, Resources.forPod(pod), netns,
                Boolean.TRUE.equals(pod.getSpec().getShareProcessNamespace()), PodSysctls.of(pod));
    }

    private void forget(String uid) {
        keys.remove(uid);
        waiting.forget(uid);
        starter.forget(uid);
        statuses.forget(uid);
        probes.remove(uid);
    }
}
