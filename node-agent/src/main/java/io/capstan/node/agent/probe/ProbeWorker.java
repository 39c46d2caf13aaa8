package io.capstan.node.agent.probe;

import io.capstan.node.agent.status.ContainerStatuses;
import io.capstan.node.agent.status.Sidecars;
import io.capstan.node.cri.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes one container of one pod for one {@link ProbeKind}, as a kubelet probe worker does; its
 * {@link #tick()} runs once per period (the {@link ProbeManager} schedules it) and says whether to
 * go on. Per tick:
 *
 * <ul>
 *   <li>a pod in phase Succeeded or Failed ends the worker; a container not created yet is waited for;
 *   <li>a new container instance (new runtime id) starts fresh: the kind's initial result
 *       (readiness failed, liveness success, startup unknown), no run counted, not on hold — except
 *       that an instance the pod's status already shows ready (or started) keeps that until probed,
 *       so an agent restarted over running containers does not take their pods out of service;
 *   <li>a worker on hold (its container failed liveness or startup and is being killed) waits for
 *       the next instance;
 *   <li>a container that is not running counts as failed; the worker ends when it exited and will
 *       not be restarted (restartPolicy Never);
 *   <li>once the pod is being deleted, liveness and startup report success and end (a quiet
 *       shutdown); readiness goes on;
 *   <li>nothing is probed during initialDelaySeconds after the container started, and liveness
 *       and readiness wait for the startup probe to succeed, which then stops probing;
 *   <li>a probe that errors is thrown away; otherwise the result is published once it repeated
 *       successThreshold (success) or failureThreshold (failure) times in a row. A published
 *       liveness or startup failure puts the worker on hold and asks for the container to be killed.
 * </ul>
 *
 * Failures record kubelet's Warning event Unhealthy ({@code Liveness probe failed: <output>}).
 * Published results are readable from any thread; {@code tick} runs on one thread at a time.
 */
public final class ProbeWorker {
    /** Event messages are cut to this length (the API's practical limit for an event message). */
    static final int MAX_EVENT_MESSAGE = 1024;

    /** What the worker looks at on each tick. */
    public interface View {
        /** The pod as last synced, or null. */
        Pod pod();

        /** The pod's IP, or null. */
        String podIp();

        /** The newest runtime instance of the container, or null. */
        ContainerStatus container();

        /** Whether that instance passed its startup probe (true without one). */
        boolean started(String containerId);
    }

    /** Told about published results. */
    public interface Listener {
        /** The published result changed (the pod's status should be computed again). */
        void changed(ProbeWorker worker);

        /** A liveness or startup failure was published: the container must be killed. */
        void failed(ProbeWorker worker, Pod pod, ContainerStatus container);
    }

    private record Published(String containerId, ProbeResult result) {}

    private final ProbeKind kind;
    private final Container container;
    private final Probe probe;
    private final ProbeTiming timing;
    private final View view;
    private final Prober prober;
    private final ProbeEvents events;
    private final Clock clock;
    private final Listener listener;

    private volatile Published published = new Published(null, ProbeResult.UNKNOWN);
    private String containerId;
    private ProbeResult lastResult;
    private int resultRun;
    private boolean onHold;

    public ProbeWorker(ProbeKind kind, Container container, View view, Prober prober, ProbeEvents events, Clock clock,
            Listener listener) {
        this.kind = kind;
        this.container = container;
        this.probe = kind.of(container);
        if (probe == null) {
            throw new IllegalArgumentException("container " + container.getName() + " has no " + kind + " probe");
        }
        this.timing = ProbeTiming.of(probe);
        this.view = view;
        this.prober = prober;
        this.events = events;
        this.clock = clock;
        this.listener = listener;
    }

    public ProbeKind kind() {
        return kind;
    }

    public Container container() {
        return container;
    }

    /** The time between ticks. */
    public Duration period() {
        return timing.period();
    }

    /**
     * The published result for container instance {@code id}, or null if none is (yet) for it; before
     * the first tick, what the pod's status carries over for that instance.
     */
    public ProbeResult result(String id) {
        Published p = published;
        if (id == null) {
            return null;
        }
        if (id.equals(p.containerId())) {
            return p.result();
        }
        return p.containerId() == null ? carried(view.pod(), id) : null;
    }

    /**
     * SUCCESS when the pod's status shows instance {@code id} ready (readiness) or started (startup),
     * which only a probe of an earlier agent can have said; else null.
     */
    private ProbeResult carried(Pod pod, String id) {
        if (kind == ProbeKind.LIVENESS || pod == null || pod.getStatus() == null) {
            return null;
        }
        List<io.fabric8.kubernetes.api.model.ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus().getContainerStatuses() != null) {
            all.addAll(pod.getStatus().getContainerStatuses());
        }
        if (pod.getStatus().getInitContainerStatuses() != null) {
            all.addAll(pod.getStatus().getInitContainerStatuses());
        }
        String containerId = ContainerStatuses.ID_PREFIX + id;
        for (var s : all) {
            if (container.getName().equals(s.getName()) && containerId.equals(s.getContainerID())) {
                Boolean said = kind == ProbeKind.READINESS ? s.getReady() : s.getStarted();
                return Boolean.TRUE.equals(said) ? ProbeResult.SUCCESS : null;
            }
        }
        return null;
    }

    /** Probes once if it is time to; returns whether the worker should go on. */
    public boolean tick() {
        Pod pod = view.pod();
        if (pod == null) {
            return true;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        ContainerStatus c = view.container();
        if (c == null) {
            return true;
        }
        if (!c.id().equals(containerId)) {
            containerId = c.id();
            lastResult = null;
            resultRun = 0;
            onHold = false;
            ProbeResult carried = carried(pod, containerId);
            published = new Published(containerId, carried != null ? carried : kind.initial()); // no news

        }
        if (onHold) {
            return true;
        }
        if (c.state() != ContainerStatus.ContainerState.RUNNING) {
            publish(ProbeResult.FAILURE);
            return c.state() != ContainerStatus.ContainerState.EXITED || restarts(pod);
        }
        if (pod.getMetadata().getDeletionTimestamp() != null && kind.kills()) {
            publish(ProbeResult.SUCCESS);
            return false;
        }
        if (c.startedAt() != null
                && Duration.between(c.startedAt(), clock.instant()).toSeconds() < timing.initialDelaySeconds()) {
            return true;
        }
        boolean started = view.started(c.id());
        if (started == (kind == ProbeKind.STARTUP)) {
            return true; // a startup probe is done once started; the others wait for it
        }
        Outcome outcome = prober.probe(probe, new ProbeTarget(pod, container, c.id(), view.podIp()));
        record(pod, outcome);
        if (outcome.status() == Outcome.Status.ERROR) {
            return true;
        }
        ProbeResult result = outcome.status() == Outcome.Status.FAILURE ? ProbeResult.FAILURE : ProbeResult.SUCCESS;
        if (result == lastResult) {
            resultRun++;
        } else {
            lastResult = result;
            resultRun = 1;
        }
        if (result == ProbeResult.FAILURE && resultRun < timing.failureThreshold()
                || result == ProbeResult.SUCCESS && resultRun < timing.successThreshold()) {
            return true;
        }
        publish(result);
        if (kind.kills() && result == ProbeResult.FAILURE) {
            onHold = true;
            resultRun = 0;
            listener.failed(this, pod, c);
        }
        return true;
    }

    /** Whether the container is started again after it exits (restartPolicy, or a sidecar). */
    private boolean restarts(Pod pod) {
        return !"Never".equals(pod.getSpec().getRestartPolicy()) || Sidecars.isSidecar(container);
    }

    private void publish(ProbeResult result) {
        Published next = new Published(containerId, result);
        Published before = published;
        published = next;
        if (!next.equals(before)) {
            listener.changed(this);
        }
    }

    private void record(Pod pod, Outcome o) {
        String output = o.output() == null ? "" : o.output();
        switch (o.status()) {
            case FAILURE -> events.warning(pod, container.getName(), "Unhealthy",
                    cut(kind.label() + " probe failed: " + output));
            case ERROR -> events.warning(pod, container.getName(), "Unhealthy",
                    cut(kind.label() + " probe errored and resulted in unknown state: " + output));
            case WARNING -> events.warning(pod, container.getName(), "ProbeWarning",
                    cut(kind.label() + " probe warning: " + output));
            default -> { }
        }
    }

    private static String cut(String message) {
        return message.length() <= MAX_EVENT_MESSAGE ? message : message.substring(0, MAX_EVENT_MESSAGE);
    }

    @Override
    public String toString() {
        return kind.label() + " probe of container " + container.getName();
    }
}
