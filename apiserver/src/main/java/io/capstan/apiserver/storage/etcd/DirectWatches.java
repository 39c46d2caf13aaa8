package io.capstan.apiserver.storage.etcd;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchClosedException;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Storage watches that start before the {@link WatchCache}'s window: each has its own etcd watch,
 * which replays etcd's history. Such a watch ends with {@link CompactedException} when etcd no
 * longer has that history, and with {@link WatchClosedException} when etcd is lost (the client
 * watches again from its last revision, which the cache then serves).
 */
final class DirectWatches {
  private final EtcdClient client;
  private final Map<Entry, Boolean> open = new ConcurrentHashMap<>();

  /** One open watch; registered before its stream starts so that an early end is not lost. */
  private static final class Entry {
    final WatchListener listener;
    volatile EtcdWatchStream stream;

    Entry(WatchListener listener) {
      this.listener = listener;
    }

    void cancel() {
      EtcdWatchStream s = stream;
      if (s != null) {
        s.cancel();
      }
    }
  }

  DirectWatches(EtcdClient client) {
    this.client = client;
  }

  Watch open(String prefix, long after, WatchListener listener) {
    Entry entry = new Entry(listener);
    open.put(entry, Boolean.TRUE);
    entry.stream = EtcdWatchStream.open(client, prefix, after + 1, new EtcdWatchStream.Handler() {
      @Override
      public void events(List<WatchEvent> batch) {
        listener.onEvents(batch);
      }

      @Override
      public void compacted(long compactRevision) {
        end(new CompactedException(after, compactRevision));
      }

      @Override
      public void failed(Throwable cause) {
        end(new WatchClosedException("etcd watch lost: " + EtcdStorage.rootMessage(cause)));
      }

      private void end(StorageException e) {
        if (open.remove(entry) != null) {
          listener.onClose(e);
        }
      }
    });
    if (!open.containsKey(entry)) {
      entry.cancel(); // closed while starting
    }
    return () -> {
      if (open.remove(entry) != null) {
        entry.cancel();
      }
    };
  }

  /** The store closes: every watch ends with {@link WatchClosedException}. */
  void closeAll() {
    for (Entry e : List.copyOf(open.keySet())) {
      if (open.remove(e) != null) {
        e.cancel();
        e.listener.onClose(new WatchClosedException("storage closed"));
      }
    }
  }
}
