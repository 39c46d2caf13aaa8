package io.capstan.node.agent.pod;

import io.capstan.controllers.rest.RawApi;
import io.capstan.controllers.rest.RawApis;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The core/v1 events a kubelet records about a pod's containers (source {@code kubelet} on this
 * node, involvedObject the pod with fieldPath {@code spec.containers{name}}): Pulled, Created,
 * Started, Killing, BackOff, Failed, ErrImageNeverPull. A repeat of the same event for the same
 * pod updates the existing event's count and lastTimestamp, at most once per {@link #REPEAT}, as
 * kubelet's event correlator does. Events are best effort: written by one background thread,
 * dropped when it falls far behind, and a failed write is only logged. They are sent as raw JSON
 * and the answers are not decoded (three events per pod start: this thread took 8-12 % of the
 * agent's CPU samples while pods started, mostly in Fabric8's decoding of the answers).
 */
final class PodEvents implements AutoCloseable {
    /** Identical events closer together than this are counted once (kubelet's spam filter is similar). */
    static final Duration REPEAT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(PodEvents.class);
    private static final String COMPONENT = "kubelet";

    private record Recorded(String name, int count) {}

    private final KubernetesClient client;
    private final RawApi api;
    private final Clock clock;
    private final String node;
    private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
    /** When each event was last queued (the clock's epoch millis), for the repeat filter. */
    private final Map<String, Long> queued = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000), r -> {
                Thread t = new Thread(r, "pod-events");
                t.setDaemon(true);
                return t;
            });

    PodEvents(KubernetesClient client, Clock clock, String node) {
        this.client = client;
        this.api = RawApis.of(client);
        this.clock = clock;
        this.node = node;
        writer.allowCoreThreadTimeOut(true);
    }

    void normal(Pod pod, String container, String reason, String message) {
        record(pod, container, "Normal", reason, message);
    }

    void warning(Pod pod, String container, String reason, String message) {
        record(pod, container, "Warning", reason, message);
    }

    private void record(Pod pod, String container, String type, String reason, String message) {
        String key = pod.getMetadata().getUid() + "/" + container + "/" + reason + "/" + message;
        Instant now = clock.instant();
        long millis = now.toEpochMilli();
        Long last = queued.get(key);
        if (last != null && millis - last < REPEAT.toMillis()) {
            return;
        }
        queued.put(key, millis);
        try {
            writer.execute(() -> {
                try {
                    write(pod, container, type, reason, message, key, now);
                } catch (RuntimeException e) {
                    LOG.debugf("event %s for pod=%s/%s not written: %s", reason, pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debugf("event %s for pod=%s/%s dropped", reason, pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName());
        }
    }

    private void write(Pod pod, String container, String type, String reason, String message, String key,
            Instant at) {
        String ns = pod.getMetadata().getNamespace();
        String ts = at.truncatedTo(ChronoUnit.SECONDS).toString();
        var ser = client.getKubernetesSerialization();
        Recorded last = recorded.get(key);
        if (last != null) {
            RawApi.Reply r = api.send("PATCH", "/api/v1/namespaces/" + ns + "/events/" + last.name(),
                    "application/merge-patch+json",
                    ser.asJson(Map.of("count", last.count() + 1, "lastTimestamp", ts))).join();
            if (r.ok()) {
                recorded.put(key, new Recorded(last.name(), last.count() + 1));
                return;
            }
            if (r.code() != 404) {
                throw new KubernetesClientException("event not updated: " + r.body(), r.code(), null);
            }
        }
        String name = pod.getMetadata().getName() + "."
                + Long.toHexString(at.getEpochSecond() * 1_000_000_000L + at.getNano() + System.nanoTime() % 1000);
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(ns)
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
                .withFieldPath(container == null ? null : fieldPath(pod, container)).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(COMPONENT).withHost(node).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(node)
                .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
                .build();
        RawApi.Reply r = api.post("/api/v1/namespaces/" + ns + "/events", ser.asJson(event)).join();
        if (!r.ok()) {
            throw new KubernetesClientException("event not created: " + r.body(), r.code(), null);
        }
        recorded.put(key, new Recorded(name, 1));
    }

    private static String fieldPath(Pod pod, String container) {
        if (container == null) {
            return null; // an event about the pod itself (its sandbox, its DNS configuration)
        }
        boolean init = pod.getSpec().getInitContainers() != null
                && pod.getSpec().getInitContainers().stream().anyMatch(c -> container.equals(c.getName()));
        return (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
    }

    /** Forgets the events of a pod that is gone. */
    void forget(String uid) {
        recorded.keySet().removeIf(k -> k.startsWith(uid + "/"));
        queued.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
