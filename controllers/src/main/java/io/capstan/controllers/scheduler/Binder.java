package io.capstan.controllers.scheduler;

import io.capstan.controllers.rest.RawApi;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
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

  private final RawApi api;
  private final int maxInFlight;
  private final Outcome outcome;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  Binder(RawApi api, int maxInFlight, Outcome outcome) {
    this.api = api;
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
    CompletableFuture<RawApi.Reply> reply;
    try {
      reply = api.post(path(p.pod), json(p.pod, p.node));
    } catch (RuntimeException e) {
      finish(p, 0, e.toString());
      return;
    }
    reply.whenComplete((r, error) -> {
      if (error != null) {
        finish(p, 0, error.toString());
      } else {
        finish(p, r.code(), r.body());
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

  static String path(PodInfo pod) {
    return "/api/v1/namespaces/" + pod.namespace + "/pods/" + pod.name + "/binding";
  }

  /** The v1 Binding of {@code pod} to {@code node}, written directly (no model objects on this path). */
  static String json(PodInfo pod, String node) {
    StringBuilder b = new StringBuilder(192).append("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{");
    field(b, "namespace", pod.namespace).append(',');
    field(b, "name", pod.name);
    if (pod.uid != null) {
      field(b.append(','), "uid", pod.uid);
    }
    b.append("},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",");
    return field(b, "name", node).append("}}").toString();
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"');
  }
}
