package io.capstan.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.registry.StoredObjects;

/**
 * The object of one watch event, decoded lazily and shared by every watcher of the event: the
 * JSON bytes (with resourceVersion) are computed once however many watchers send them.
 */
public final class WatchObject {
  private final byte[] stored;
  private final long revision;
  private volatile byte[] json;

  public WatchObject(byte[] stored, long revision) {
    this.stored = stored;
    this.revision = revision;
  }

  /** Shared objects of recent events, so that fan-out to many watchers encodes each once. */
  private static final int CACHE_LIMIT = 4096;
  private static final java.util.concurrent.ConcurrentHashMap<String, WatchObject> RECENT =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The object of the event on {@code key} at {@code revision}, shared between watchers. */
  public static WatchObject forEvent(String key, byte[] stored, long revision) {
    if (RECENT.size() > CACHE_LIMIT) {
      RECENT.clear();
    }
    WatchObject cached = RECENT.computeIfAbsent(revision + "\u0000" + key, k -> new WatchObject(stored, revision));
    // Every watcher of one event gets the same stored array from the store; anything else (another
    // store in this JVM at the same revision and key) must not share the entry.
    return cached.stored == stored ? cached : new WatchObject(stored, revision);
  }

  public static WatchObject of(ObjectNode obj) {
    WatchObject w = new WatchObject(null, 0);
    w.json = io.capstan.apiserver.json.Json.bytes(obj);
    return w;
  }

  /** The object as sent on the wire. */
  public byte[] json() {
    byte[] j = json;
    if (j == null) {
      j = io.capstan.apiserver.json.Json.bytes(StoredObjects.decode(stored, revision));
      json = j;
    }
    return j;
  }

  /** A fresh tree of the object (callers may change it). */
  public ObjectNode node() {
    return io.capstan.apiserver.json.Json.parseObject(json());
  }
}
