package io.capstan.controllers.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in kubelet for tests: every pod that appears (in any namespace) is marked Running and
 * Ready through {@code pods/status} after {@code delay}, except pods labelled {@code
 * kubelet=ignore}, which stay pending forever.
 */
public final class TestKubelet implements AutoCloseable {
  public static final String IGNORE_LABEL = "kubelet";
  private final KubernetesClient client;
  private final Duration delay;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private final SharedIndexInformer<Pod> informer;

  public TestKubelet(KubernetesClient client, Duration delay) {
    this.client = client;
    this.delay = delay;
    this.informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        consider(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {
        consider(pod);
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {}
    });
  }

  private void consider(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if ((labels != null && "ignore".equals(labels.get(IGNORE_LABEL))) || pod.getMetadata().getDeletionTimestamp() != null
        || ready(pod) || !scheduled.add(pod.getMetadata().getUid())) {
      return;
    }
    timer.schedule(() -> markReady(pod), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void markReady(Pod pod) {
    Map<String, Object> status = Map.of("status", Map.of("phase", "Running", "conditions", List.of(Map.of(
        "type", "Ready", "status", "True",
        "lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()))));
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(status));
    } catch (KubernetesClientException e) {
      // Gone already: nothing to run.
    }
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    informer.stop();
    timer.shutdownNow();
  }
}
