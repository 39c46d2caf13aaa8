package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Sends {@code POST /api/v1/namespaces/{ns}/pods/{name}/binding} asynchronously with at most
 * {@code maxInFlight} requests outstanding; the rest wait in a queue, so the scheduling loop never
 * waits on HTTP. A binding that fails is reported to the failure callback (the scheduler forgets
 * the assumption and retries the pod); 409 (already bound, being deleted) and 404 (gone) just drop
 * the assumption: the informer tells the rest.
 */
final class Binder {
  private static final Logger LOG = Logger.getLogger(Binder.class);

  /** What to do when a binding did not happen; {@code retry} is false when retrying is pointless. */
  interface Outcome {
    void bound(PodInfo pod, String node);

    void failed(PodInfo pod, String node, boolean retry, String why);
  }

  private record Pending(PodInfo pod, String node) {}

  private final KubernetesClient client;
  private final HttpClient http;
  private final int maxInFlight;
  private final Outcome outcome;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  Binder(KubernetesClient client, int maxInFlight, Outcome outcome) {
    this.client = client;
    this.http = client.getHttpClient();
    this.maxInFlight = maxInFlight;
    this.outcome = outcome;
  }

  /** Queues the binding of {@code pod} to {@code node}; returns at once. */
  void bind(PodInfo pod, String node) {
    queue.add(new Pending(pod, node));
    pump();
  }

  /** Bindings queued or in flight. */
  int pending() {
    return queue.size() + inFlight.get();
  }

  private void pump() {
    while (!queue.isEmpty()) {
      int n = inFlight.get();
      if (n >= maxInFlight) {
        return;
      }
      if (!inFlight.compareAndSet(n, n + 1)) {
        continue;
      }
      Pending p = queue.poll();
      if (p == null) {
        inFlight.decrementAndGet();
        continue;
      }
      send(p);
    }
  }

  private void send(Pending p) {
    HttpRequest request;
    try {
      request = http.newHttpRequestBuilder().url(url(p.pod))
          .post("application/json", client.getKubernetesSerialization().asJson(binding(p.pod, p.node))).build();
    } catch (RuntimeException | MalformedURLException e) {
      finish(p, 0, e.toString());
      return;
    }
    http.sendAsync(request, String.class).whenComplete((response, error) -> {
      if (error != null) {
        finish(p, 0, error.toString());
      } else {
        finish(p, response.code(), response.code() / 100 == 2 ? "" : response.body());
      }
    });
  }

  private void finish(Pending p, int code, String why) {
    inFlight.decrementAndGet();
    try {
      if (code / 100 == 2) {
        outcome.bound(p.pod, p.node);
      } else {
        LOG.debugf("binding failed pod=%s node=%s code=%d %s", p.pod.key(), p.node, code, why);
        outcome.failed(p.pod, p.node, code != 409 && code != 404, why);
      }
    } catch (RuntimeException e) {
      LOG.warnf(e, "binding outcome failed pod=%s", p.pod.key());
    } finally {
      pump();
    }
  }

  private URL url(PodInfo pod) throws MalformedURLException {
    return new URL(client.getMasterUrl(), "api/v1/namespaces/" + pod.namespace + "/pods/" + pod.name + "/binding");
  }

  static Binding binding(PodInfo pod, String node) {
    return new BindingBuilder()
        .withNewMetadata().withNamespace(pod.namespace).withName(pod.name).withUid(pod.uid).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
        .build();
  }
}
