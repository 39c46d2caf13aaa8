package io.capstan.controllers.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A stand-in for node agents in one namespace: every pod it sees that {@code runs} accepts is
 * marked Running and Ready through {@code pods/status}, and every terminating pod is finished
 * (deleted with grace period 0), as a kubelet confirms a graceful deletion. Close it to stop.
 */
public final class TestKubelet implements AutoCloseable {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private final KubernetesClient client;
  private final Watch watch;
  /** Handles events off the watch's thread, so that the watch is never held up by our writes. */
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "test-kubelet");
    t.setDaemon(true);
    return t;
  });
  private volatile Predicate<Pod> runs;

  private TestKubelet(KubernetesClient client, String namespace, Predicate<Pod> runs) {
    this.client = client;
    this.runs = runs;
    this.watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action != Action.DELETED) {
          if (!worker.isShutdown()) {
            worker.execute(() -> handle(pod));
          }
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
    client.pods().inNamespace(namespace).list().getItems().forEach(this::handle);
  }

  /** A kubelet for {@code namespace} that runs every pod. */
  public static TestKubelet start(KubernetesClient client, String namespace) {
    return new TestKubelet(client, namespace, p -> true);
  }

  /** A kubelet for {@code namespace} that runs only the pods {@code runs} accepts (for now). */
  public static TestKubelet start(KubernetesClient client, String namespace, Predicate<Pod> runs) {
    return new TestKubelet(client, namespace, runs);
  }

  /** Changes which pods run from now on; call {@link #resync} to apply it to pods already seen. */
  public void runOnly(Predicate<Pod> runs) {
    this.runs = runs;
  }

  /** Looks at every pod of {@code namespace} again. */
  public void resync(String namespace) {
    client.pods().inNamespace(namespace).list().getItems().forEach(this::handle);
  }

  /** Marks {@code pod} Running and Ready now. */
  public static void markReady(KubernetesClient client, Pod pod) {
    setStatus(client, pod, "Running", "True");
  }

  /** Sets {@code pod}'s phase and Ready condition status. */
  public static void setStatus(KubernetesClient client, Pod pod, String phase, String ready) {
    Map<String, Object> condition = Map.of("type", "Ready", "status", ready,
        "lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    Map<String, Object> patch = Map.of("status", Map.of("phase", phase, "conditions", List.of(condition)));
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(MERGE, client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void handle(Pod pod) {
    try {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
        return;
      }
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase) || !runs.test(pod)) {
        return;
      }
      markReady(client, pod);
    } catch (KubernetesClientException e) {
      // The pod changed or went away meanwhile; its next event brings it back.
    }
  }

  @Override
  public void close() {
    watch.close();
    worker.shutdownNow();
  }
}
