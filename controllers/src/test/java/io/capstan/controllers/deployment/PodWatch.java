package io.capstan.controllers.deployment;

import io.capstan.controllers.testing.Await;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Watches the pods of a namespace and checks an invariant over all of them at every event, in the
 * order the API server sent them; the violations are collected for the test to assert on.
 */
final class PodWatch implements AutoCloseable {
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final SharedIndexInformer<Pod> informer;
  private volatile int events;
  private volatile boolean armed;

  /** {@code check} returns null when the pods are fine, or what is wrong. */
  PodWatch(KubernetesClient client, String namespace, Function<List<Pod>, String> check) {
    informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        pods.put(pod.getMetadata().getName(), pod);
        run();
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {
        pods.put(pod.getMetadata().getName(), pod);
        run();
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        pods.remove(pod.getMetadata().getName());
        run();
      }

      private void run() {
        if (!armed) {
          return;
        }
        events++;
        String wrong = check.apply(List.copyOf(pods.values()));
        if (wrong != null) {
          violations.add(wrong);
        }
      }
    });
    // The initial list arrives as one add per pod; check only from a settled start on.
    Await.until("the pod watch has listed", () -> pods.size() == informer.getStore().list().size());
    armed = true;
  }

  List<String> violations() {
    return violations;
  }

  int events() {
    return events;
  }

  @Override
  public void close() {
    informer.stop();
  }
}
