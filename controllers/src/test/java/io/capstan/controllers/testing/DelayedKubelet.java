package io.capstan.controllers.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in kubelet for rollout tests, across all namespaces: every pod that appears (in any namespace) is marked Running and
 * Ready through {@code pods/status} after {@code delay}, except pods labelled {@code
 * kubelet=ignore}, which stay pending forever. Unlike {@link TestKubelet} it does not finish
 * terminating pods: pods go as soon as they are deleted while they are not bound to a node.
 */
public final class DelayedKubelet implements AutoCloseable {
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

  public DelayedKubelet(KubernetesClient client, Duration delay) {
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
    try {
      TestKubelet.markReady(client, pod);
    } catch (KubernetesClientException e) {
      // Cannot write its status now; the rollout under test will show it.
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
