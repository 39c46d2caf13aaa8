package io.capstan.apiserver.storage.memory;

import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchClosedException;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.List;

/** A watch on a {@link MemoryStorage}; its calls run on the store's single delivery thread. */
final class MemoryWatch implements Watch {
  private final MemoryStorage store;
  private final String prefix;
  private final WatchListener listener;
  private volatile boolean closed;

  MemoryWatch(MemoryStorage store, String prefix, WatchListener listener) {
    this.store = store;
    this.prefix = prefix;
    this.listener = listener;
  }

  boolean matches(WatchEvent e) {
    return e.kv().key().startsWith(prefix);
  }

  void deliver(List<WatchEvent> events) {
    if (closed) {
      return;
    }
    try {
      listener.onEvents(events);
    } catch (RuntimeException e) {
      store.unregister(this);
      closeByStore(new WatchClosedException("watch listener failed: " + e));
    }
  }

  void closeByStore(StorageException cause) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      listener.onClose(cause);
    } catch (RuntimeException ignored) {
      // the watch is over anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    store.unregister(this);
  }
}
