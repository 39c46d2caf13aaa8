package io.capstan.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a node: ends every new pod of one namespace through {@code pods/status}, after
 * a short while, as its {@value #OUTCOME} label says: {@code succeed} (the default) sets phase
 * Succeeded, {@code fail} phase Failed, {@code hold} leaves it running. It also records the most
 * pods ever active (not finished, not terminating) at once.
 */
final class TestKubelet implements AutoCloseable {
  static final String OUTCOME = "test.capstan.io/outcome";

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> informer;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger maxActive = new AtomicInteger();

  TestKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        observe();
        String outcome = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(OUTCOME);
        if ("hold".equals(outcome)) {
          return;
        }
        String phase = "fail".equals(outcome) ? "Failed" : "Succeeded";
        executor.schedule(() -> finish(pod, phase), 150, TimeUnit.MILLISECONDS);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        observe();
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        observe();
      }
    });
  }

  int maxActive() {
    return maxActive.get();
  }

  private void observe() {
    int active = (int) informer.getStore().list().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() == null || !("Succeeded".equals(p.getStatus().getPhase())
            || "Failed".equals(p.getStatus().getPhase())))
        .count();
    maxActive.accumulateAndGet(active, Math::max);
  }

  private void finish(Pod pod, String phase) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .editStatus(p -> new PodBuilder(p).editOrNewStatus().withPhase(phase).endStatus().build());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        executor.schedule(() -> finish(pod, phase), 50, TimeUnit.MILLISECONDS);
      }
      // 404: the pod went meanwhile.
    }
  }

  @Override
  public void close() {
    informer.close();
    executor.shutdownNow();
  }
}
