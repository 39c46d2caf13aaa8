package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Which namespaces exist and which are terminating, known without reading storage, as
 * kube-apiserver's NamespaceLifecycle admission reads them from an informer: filled by a list of
 * the namespaces' keys, then kept by a watch from that list's revision (also of namespaces other
 * API servers on the same store write). This server's own start of a termination is recorded at
 * once, so its next create in that namespace is refused without waiting for the watch. Every
 * entry carries the revision it was seen at and only a newer one replaces it. A name it does not
 * know, or any name while the watch is down, is {@link State#UNKNOWN}: the caller reads storage.
 */
final class NamespaceCache implements WatchListener, AutoCloseable {
  /** What the cache says of a namespace. */
  enum State { ACTIVE, TERMINATING, UNKNOWN }

  private record Entry(State state, long revision) {}

  private static final Logger LOG = Logger.getLogger(NamespaceCache.class);

  private final Storage storage;
  private final String prefix;
  private final ScheduledExecutorService retries;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean synced;
  private volatile boolean closed;
  private Watch watch;

  NamespaceCache(Storage storage, String prefix, ScheduledExecutorService retries) {
    this.storage = storage;
    this.prefix = prefix;
    this.retries = retries;
  }

  /** Lists the namespaces and starts watching them; on failure it retries in the background. */
  synchronized void start() {
    if (closed) {
      return;
    }
    try {
      entries.clear();
      ListResult all = storage.list(prefix, null, 0, 0);
      for (KeyValue kv : all.items()) {
        apply(kv);
      }
      watch = storage.watch(prefix, all.revision(), this);
      synced = true;
    } catch (StorageException e) {
      LOG.debugf("namespace cache not synced (%s); lookups read storage until it is", e.getMessage());
      retries.schedule(this::start, 1, TimeUnit.SECONDS);
    }
  }

  State lookup(String name) {
    if (!synced) {
      return State.UNKNOWN;
    }
    Entry e = entries.get(name);
    return e == null ? State.UNKNOWN : e.state();
  }

  /** Records a namespace this server has just written (at the object's resourceVersion). */
  void written(ObjectNode ns) {
    long revision = Long.parseLong(Json.metadata(ns).path("resourceVersion").asText("0"));
    put(Json.metadata(ns).path("name").asText(), stateOf(ns), revision);
  }

  @Override
  public void onEvents(List<WatchEvent> events) {
    for (WatchEvent e : events) {
      if (e.type() == WatchEvent.Type.DELETE) {
        put(e.kv().key().substring(prefix.length()), State.UNKNOWN, e.kv().modRevision());
      } else {
        apply(e.kv());
      }
    }
  }

  @Override
  public void onClose(StorageException cause) {
    synced = false;
    if (!closed) {
      retries.schedule(this::start, 1, TimeUnit.SECONDS);
    }
  }

  private void apply(KeyValue kv) {
    try {
      put(kv.key().substring(prefix.length()), stateOf(StoredObjects.decode(kv)), kv.modRevision());
    } catch (RuntimeException e) {
      put(kv.key().substring(prefix.length()), State.UNKNOWN, kv.modRevision()); // unreadable: ask storage
    }
  }

  private void put(String name, State state, long revision) {
    entries.merge(name, new Entry(state, revision), (old, now) -> now.revision() >= old.revision() ? now : old);
  }

  private static State stateOf(ObjectNode ns) {
    return ObjectMetaRules.isBeingDeleted(ns) || "Terminating".equals(Json.text(ns, "status.phase"))
        ? State.TERMINATING : State.ACTIVE;
  }

  @Override
  public synchronized void close() {
    closed = true;
    synced = false;
    if (watch != null) {
      watch.close();
    }
  }
}
