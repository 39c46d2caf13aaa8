package io.capstan.node.agent.status;

import io.capstan.controllers.rest.RawApi;
import io.capstan.controllers.rest.RawApis;
import io.capstan.node.cri.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes a pod's status from what the runtime reports and writes it through {@code /status} as a
 * JSON merge patch of the fields kubelet owns (phase, conditions, IPs, startTime, qosClass,
 * container statuses) — only when one of them differs from the pod as last seen (or, while the cache
 * has not yet caught up with this writer's last write, from that write), so a sync that changes
 * nothing writes nothing and a status someone else changed is put right. Conditions of types kubelet
 * does not own (readiness gates, DisruptionTarget) are kept. The patch goes out as raw JSON and its
 * answer is not decoded into a Pod (the watch brings the new pod): that takes a status write on the
 * pod start path from about 3 ms to about 1.2 ms of client time (docs/benchmarks.md).
 */
public final class PodStatusWriter {
    private static final Set<String> OWNED_CONDITIONS =
            Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");

    private final KubernetesClient client;
    private final RawApi api;
    private final Map<String, Written> lastWritten = new ConcurrentHashMap<>();

    /** A status this writer wrote, and the resourceVersion of the pod it was computed from. */
    private record Written(Map<String, Object> status, String basedOn) {}

    public PodStatusWriter(KubernetesClient client) {
        this.client = client;
        this.api = RawApis.of(client);
    }

    /** What the status is computed from; {@code health} is what the probes say about running containers. */
    public record Observed(Map<String, List<ContainerStatus>> containers, Map<String, Waiting> waiting,
            boolean sandboxReady, String hostIp, String podIp, String qosClass, ContainerHealth health) {
        /** Without probes: running containers are started and ready. */
        public Observed(Map<String, List<ContainerStatus>> containers, Map<String, Waiting> waiting,
                boolean sandboxReady, String hostIp, String podIp, String qosClass) {
            this(containers, waiting, sandboxReady, hostIp, podIp, qosClass, ContainerHealth.NONE);
        }
    }

    /** The status {@code pod} should have now. */
    public static PodStatus compute(Pod pod, Observed o, Instant now) {
        PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<Container> initSpecs = pod.getSpec().getInitContainers() == null ? List.of()
                : pod.getSpec().getInitContainers();
        List<Container> appSpecs = pod.getSpec().getContainers();
        String defaultReason = initSpecs.isEmpty() ? "ContainerCreating" : "PodInitializing";
        List<io.fabric8.kubernetes.api.model.ContainerStatus> init = new ArrayList<>();
        for (Container c : initSpecs) {
            init.add(ContainerStatuses.of(c, o.containers().getOrDefault(c.getName(), List.of()),
                    o.waiting().get(c.getName()), true, defaultReason, o.health()));
        }
        List<io.fabric8.kubernetes.api.model.ContainerStatus> app = new ArrayList<>();
        for (Container c : appSpecs) {
            app.add(ContainerStatuses.of(c, o.containers().getOrDefault(c.getName(), List.of()),
                    o.waiting().get(c.getName()), false, defaultReason, o.health()));
        }
        Set<String> sidecars = Sidecars.names(pod);
        String phase = PodPhase.of(pod.getSpec().getRestartPolicy(), current.getPhase(), init, app, appSpecs.size(),
                sidecars);
        List<PodCondition> existing = current.getConditions() == null ? List.of() : current.getConditions();
        List<PodCondition> conditions = new ArrayList<>(
                PodConditions.of(existing, o.sandboxReady(), init, app, sidecars, phase, now));
        existing.stream().filter(c -> !OWNED_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        PodStatus s = new PodStatus();
        s.setPhase(phase);
        s.setConditions(conditions);
        s.setHostIP(o.hostIp());
        s.setHostIPs(o.hostIp() == null ? null : List.of(new HostIP(o.hostIp())));
        s.setPodIP(o.podIp());
        s.setPodIPs(o.podIp() == null ? null : List.of(new PodIP(o.podIp())));
        s.setStartTime(current.getStartTime() != null ? current.getStartTime() : Times.format(now));
        s.setQosClass(current.getQosClass() != null ? current.getQosClass() : o.qosClass());
        s.setContainerStatuses(app);
        s.setInitContainerStatuses(initSpecs.isEmpty() ? null : init);
        return s;
    }

    /** Writes {@code desired} unless the pod (or this writer's pending write) says it; returns whether it wrote. */
    public boolean write(Pod pod, PodStatus desired) {
        var ser = client.getKubernetesSerialization();
        @SuppressWarnings("unchecked")
        Map<String, Object> want = ser.convertValue(desired, Map.class);
        want.values().removeIf(Objects::isNull);
        @SuppressWarnings("unchecked")
        Map<String, Object> have = pod.getStatus() == null ? Map.of() : ser.convertValue(pod.getStatus(), Map.class);
        String uid = pod.getMetadata().getUid();
        String rv = pod.getMetadata().getResourceVersion();
        Written last = lastWritten.get(uid);
        // Until the cache shows a version after this writer's last write, compare with that write.
        boolean cacheBehind = last != null && Objects.equals(last.basedOn(), rv);
        if (cacheBehind ? want.equals(last.status()) : subsetOf(want, have)) {
            return false;
        }
        Map<String, Object> patch = new LinkedHashMap<>(want);
        String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                + pod.getMetadata().getName() + "/status";
        RawApi.Reply reply = api.send("PATCH", path, "application/merge-patch+json",
                ser.asJson(Map.of("status", patch))).join();
        if (reply.code() == 404) {
            return false; // deleted meanwhile; nothing to report
        }
        if (!reply.ok()) {
            throw new KubernetesClientException("status of pod " + pod.getMetadata().getNamespace() + "/"
                    + pod.getMetadata().getName() + " not written: " + reply.body(), reply.code(), null);
        }
        lastWritten.put(uid, new Written(want, rv));
        return true;
    }

    /** Forgets what was written for a pod that is gone. */
    public void forget(String uid) {
        lastWritten.remove(uid);
    }

    private static boolean subsetOf(Map<String, Object> want, Map<String, Object> have) {
        for (Map.Entry<String, Object> e : want.entrySet()) {
            if (!Objects.equals(e.getValue(), have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
