package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tells the user why a pod waits, as kube-scheduler does: a core/v1 Warning event with reason
 * FailedScheduling from {@code default-scheduler} about the pod, and the pod's PodScheduled
 * condition set to False with reason Unschedulable and the same message (through {@code /status},
 * only when it changes). A repeat of the same message for the same pod updates the existing
 * event's count and lastTimestamp instead of creating another. Writes happen on one background
 * thread, never on the scheduling loop.
 */
final class FailureRecorder {
  static final String COMPONENT = "default-scheduler";
  static final String REASON = "FailedScheduling";
  private static final Logger LOG = Logger.getLogger(FailureRecorder.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private static final PatchContext STRATEGIC = PatchContext.of(PatchType.STRATEGIC_MERGE);

  /** The last event written about a pod, to update rather than repeat. */
  private record Recorded(String uid, String name, String message, int count) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
  /** One writer thread, ended when idle for 30 s. */
  private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "scheduler-events");
        t.setDaemon(true);
        return t;
      });

  FailureRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    writer.allowCoreThreadTimeOut(true);
  }

  /** Records (in the background) that {@code pod} fits no node, for {@code message}. */
  void unschedulable(Pod pod, String message) {
    writer.execute(() -> {
      try {
        event(pod, message);
        condition(pod, message);
      } catch (RuntimeException e) {
        LOG.warnf(e, "could not record scheduling failure pod=%s/%s", pod.getMetadata().getNamespace(),
            pod.getMetadata().getName());
      }
    });
  }

  /** Drops what is remembered about the pod {@code namespace/name} (scheduled or deleted). */
  void forget(String key) {
    recorded.remove(key);
  }

  private void event(Pod pod, String message) {
    String uid = pod.getMetadata().getUid();
    String ns = pod.getMetadata().getNamespace();
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String key = ns + "/" + pod.getMetadata().getName();
    Recorded last = recorded.get(key);
    if (last != null && last.uid.equals(uid) && last.message.equals(message)) {
      int count = last.count + 1;
      try {
        client.v1().events().inNamespace(ns).withName(last.name).patch(MERGE,
            client.getKubernetesSerialization().asJson(Map.of("count", count, "lastTimestamp", now)));
        recorded.put(key, new Recorded(uid, last.name, message, count));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    var at = clock.instant();
    String name = pod.getMetadata().getName() + "." + Long.toHexString(at.getEpochSecond() * 1_000_000_000L + at.getNano());
    Event event = new EventBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(ns)
        .withName(pod.getMetadata().getName()).withUid(uid)
        .withResourceVersion(pod.getMetadata().getResourceVersion()).endInvolvedObject()
        .withType("Warning").withReason(REASON).withMessage(message)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    client.v1().events().inNamespace(ns).resource(event).create();
    recorded.put(key, new Recorded(uid, name, message, 1));
  }

  private void condition(Pod pod, String message) {
    List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of()
        : pod.getStatus().getConditions();
    String since = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    for (PodCondition c : conditions) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
        if ("Unschedulable".equals(c.getReason()) && Objects.equals(message, c.getMessage())) {
          return;
        }
        since = c.getLastTransitionTime() == null ? since : c.getLastTransitionTime();
      }
    }
    Map<String, Object> condition = Map.of("type", "PodScheduled", "status", "False", "reason", "Unschedulable",
        "message", message, "lastTransitionTime", since);
    Map<String, Object> patch = Map.of("status", Map.of("conditions", List.of(condition)));
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(STRATEGIC, client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
