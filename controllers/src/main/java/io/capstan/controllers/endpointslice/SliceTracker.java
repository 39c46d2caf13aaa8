package io.capstan.controllers.endpointslice;

import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The slices this controller wrote that the informer cache may not show yet, per Service (as
 * upstream's endpointSliceTracker): a Service whose cache is behind its own writes is not
 * reconciled again until it catches up (or 30 s pass), so that slices are not created twice or
 * written from a stale read. Not thread-safe per Service: one key is never reconciled twice at once.
 */
final class SliceTracker {
  /** A deletion: the slice must be gone from the cache. */
  private static final String DELETED = "";

  /** How long a write the cache never shows (say, a slice deleted by someone else at once) holds a Service back. */
  static final long EXPIRY_NANOS = 30_000_000_000L;

  private final Map<Request, Map<String, Write>> written = new ConcurrentHashMap<>();

  private record Write(String resourceVersion, long at) {}

  /** Records that {@code slice} (as returned by the API) was created or updated. */
  void wrote(Request service, EndpointSlice slice) {
    written.computeIfAbsent(service, k -> new HashMap<>())
        .put(slice.getMetadata().getName(), new Write(slice.getMetadata().getResourceVersion(), System.nanoTime()));
  }

  void deleted(Request service, String sliceName) {
    written.computeIfAbsent(service, k -> new HashMap<>()).put(sliceName, new Write(DELETED, System.nanoTime()));
  }

  /**
   * Whether the cache ({@code cached} looks a slice up by name) shows every write recorded for
   * {@code service}; writes it shows are forgotten.
   */
  boolean caughtUp(Request service, Function<String, EndpointSlice> cached) {
    Map<String, Write> writes = written.get(service);
    if (writes == null) {
      return true;
    }
    long now = System.nanoTime();
    writes.entrySet().removeIf(e -> now - e.getValue().at() > EXPIRY_NANOS
        || shows(cached.apply(e.getKey()), e.getValue().resourceVersion()));
    if (writes.isEmpty()) {
      written.remove(service);
      return true;
    }
    return false;
  }

  void forget(Request service) {
    written.remove(service);
  }

  private static boolean shows(EndpointSlice cached, String resourceVersion) {
    if (DELETED.equals(resourceVersion)) {
      return cached == null;
    }
    if (cached == null) {
      return false;
    }
    String have = cached.getMetadata().getResourceVersion();
    try {
      return Long.parseLong(have) >= Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      // Opaque versions cannot be ordered: the slice is there, take it as seen.
      return true;
    }
  }
}
