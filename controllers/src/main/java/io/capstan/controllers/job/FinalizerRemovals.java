package io.capstan.controllers.job;

import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The pods whose tracking finalizer the controller removed but whose cached copy may still show
 * it, per job (upstream's finalizer expectations). Such a pod was counted already: counting it
 * again from a lagging cache would count it twice. An entry goes once the cache shows the pod
 * without the finalizer, or gone.
 */
final class FinalizerRemovals {
  private final Map<Request, Map<String, String>> pending = new ConcurrentHashMap<>();

  void expect(Request job, Pod pod) {
    pending.computeIfAbsent(job, k -> new ConcurrentHashMap<>()).put(pod.getMetadata().getUid(),
        pod.getMetadata().getName());
  }

  void cancel(Request job, Pod pod) {
    Map<String, String> m = pending.get(job);
    if (m != null) {
      m.remove(pod.getMetadata().getUid());
    }
  }

  /** The uids still expected, after dropping those the cache ({@code cachedPod} by name) confirms. */
  Set<String> expected(Request job, Function<String, Pod> cachedPod) {
    Map<String, String> m = pending.get(job);
    if (m == null) {
      return Set.of();
    }
    for (Map.Entry<String, String> e : new HashMap<>(m).entrySet()) {
      Pod cached = cachedPod.apply(e.getValue());
      if (cached == null || !e.getKey().equals(cached.getMetadata().getUid()) || !JobPods.hasTrackingFinalizer(cached)) {
        m.remove(e.getKey());
      }
    }
    return Set.copyOf(m.keySet());
  }

  void forget(Request job) {
    pending.remove(job);
  }
}
