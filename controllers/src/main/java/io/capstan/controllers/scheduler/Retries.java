package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The pods waiting because they fit nowhere, with kube-scheduler's per-pod backoff: 1 s after the
 * first failure, doubling to at most 10 s. A waiting pod is tried again when its backoff ends;
 * earlier only when its spec or labels changed, or when a cluster change that may make room
 * ({@link #clusterChanged}) came and one initial backoff has passed since its last attempt. Its
 * own status updates (the PodScheduled condition) do not count, so nothing turns into a hot loop.
 */
final class Retries {
  static final Duration INITIAL = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofSeconds(10);

  private static final class Waiting {
    int attempts;
    long lastAttemptNanos;
    long dueNanos;
    boolean moved;
    Object spec;
    Map<String, String> labels;
  }

  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  /** Records a failed attempt for {@code pod} under {@code key}; returns the backoff before the next. */
  Duration failed(String key, Pod pod) {
    Waiting w = waiting.computeIfAbsent(key, k -> new Waiting());
    synchronized (w) {
      w.attempts++;
      w.lastAttemptNanos = System.nanoTime();
      Duration backoff = backoff(w.attempts);
      w.dueNanos = w.lastAttemptNanos + backoff.toNanos();
      w.moved = false;
      w.spec = pod.getSpec();
      w.labels = pod.getMetadata().getLabels();
      return backoff;
    }
  }

  /** Empty when {@code pod} may be tried now; otherwise how long it should still wait. */
  Optional<Duration> wait(String key, Pod pod) {
    Waiting w = waiting.get(key);
    if (w == null) {
      return Optional.empty();
    }
    synchronized (w) {
      long now = System.nanoTime();
      boolean changed = !Objects.equals(w.spec, pod.getSpec()) || !Objects.equals(w.labels, pod.getMetadata().getLabels());
      boolean movable = w.moved && now >= w.lastAttemptNanos + INITIAL.toNanos();
      if (changed || movable || now >= w.dueNanos) {
        return Optional.empty();
      }
      return Optional.of(Duration.ofNanos(w.dueNanos - now));
    }
  }

  static Duration backoff(int attempts) {
    long ms = INITIAL.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
    return Duration.ofMillis(Math.min(ms, MAX.toMillis()));
  }

  void forget(String key) {
    waiting.remove(key);
  }

  int size() {
    return waiting.size();
  }

  /** Calls {@code retry(key, delay)} for every waiting pod not already marked by an earlier change. */
  void clusterChanged(BiConsumer<String, Duration> retry) {
    long now = System.nanoTime();
    waiting.forEach((key, w) -> {
      Duration delay;
      synchronized (w) {
        if (w.moved) {
          return;
        }
        w.moved = true;
        delay = Duration.ofNanos(Math.max(0, w.lastAttemptNanos + INITIAL.toNanos() - now));
      }
      retry.accept(key, delay);
    });
  }
}
