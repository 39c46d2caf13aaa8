package io.capstan.apiserver.storage.etcd;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.FutureRevisionException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchClosedException;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One etcd watch over the whole key prefix, shared by every storage watch of the process, plus a
 * ring of the most recent events. A storage watch from revision R is served from the ring when R is
 * inside its window (replay, then live events, under one lock: no gap, no duplicate); a watch from
 * before the window opens its own etcd watch ({@link DirectWatches}).
 *
 * <p>Because the shared watch covers every key, the cache has seen revision R as soon as it got an
 * event at R or later; it needs no progress notification (etcd 3.4.23's are unreliable).
 *
 * <p>When the etcd watch breaks (etcd restarting, network), it is re-opened from the last revision
 * seen every {@code watchRetryInterval}; storage watches stay open and simply receive the missed
 * events once etcd is back. If etcd compacted past that revision in the meantime, every storage
 * watch is closed with {@link CompactedException} (clients re-list: 410 upstream) and the cache
 * starts again at the current revision.
 */
final class WatchCache implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WatchCache.class);

  private final EtcdClient client;
  private final Object lock = new Object();
  private final ArrayDeque<List<WatchEvent>> ring = new ArrayDeque<>();
  private final CopyOnWriteArrayList<Sub> subs = new CopyOnWriteArrayList<>();
  private final DirectWatches direct;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "capstan-storage-etcd-watch-retry");
    t.setDaemon(true);
    return t;
  });
  private int ringEvents;
  private long bufferStart; // every event with a revision in (bufferStart, seen] is in the ring
  private volatile long seen;
  private volatile long delivered; // every event <= delivered was offered to every registered watch
  private EtcdWatchStream stream;
  private boolean synced; // false while the cache must start again after a compaction
  private boolean lost;
  private volatile boolean closed;

  WatchCache(EtcdClient client) {
    this.client = client;
    this.direct = new DirectWatches(client);
  }

  /** Opens the shared watch at the current revision. */
  void start() {
    long current = client.currentRevision();
    synchronized (lock) {
      ring.clear();
      ringEvents = 0;
      lost = false;
      bufferStart = current;
      seen = current;
      delivered = current;
      synced = true;
      open();
    }
  }

  private void open() {
    EtcdWatchStream[] self = new EtcdWatchStream[1];
    self[0] = EtcdWatchStream.open(client, "", seen + 1, new EtcdWatchStream.Handler() {
      @Override
      public void events(List<WatchEvent> batch) {
        onEvents(self[0], batch);
      }

      @Override
      public void compacted(long compactRevision) {
        onCompacted(self[0], compactRevision);
      }

      @Override
      public void failed(Throwable cause) {
        onFailed(self[0], cause);
      }
    });
    stream = self[0];
    later(() -> checkCreated(self[0]), createTimeoutMillis());
  }

  private void onEvents(EtcdWatchStream from, List<WatchEvent> batch) {
    synchronized (lock) {
      if (closed || from != stream) {
        return;
      }
      long rev = batch.get(0).revision();
      if (rev <= seen) {
        return;
      }
      if (lost) {
        LOG.infof("etcd watch resumed at revision %d", rev);
        lost = false;
      }
      ring.addLast(batch);
      ringEvents += batch.size();
      seen = rev;
      while (ringEvents > client.config().watchCacheEvents() && ring.size() > 1) {
        List<WatchEvent> old = ring.removeFirst();
        ringEvents -= old.size();
        bufferStart = old.get(0).revision();
      }
      for (Sub s : subs) {
        s.offer(batch);
      }
      delivered = rev;
    }
  }

  private void onFailed(EtcdWatchStream from, Throwable cause) {
    synchronized (lock) {
      if (closed || from != stream) {
        return;
      }
      if (!lost) {
        LOG.warnf("etcd watch lost at revision %d (%s); re-opening every %d ms", seen,
            EtcdStorage.rootMessage(cause), client.config().watchRetryInterval().toMillis());
        lost = true;
      }
      stream = null;
    }
    later(this::reopen, client.config().watchRetryInterval().toMillis());
  }

  private void reopen() {
    try {
      synchronized (lock) {
        if (!closed && stream == null && synced) {
          open();
        }
      }
      if (!synced) {
        restart();
      }
    } catch (RuntimeException e) {
      LOG.warnf(e, "re-opening the etcd watch failed");
      later(this::reopen, client.config().watchRetryInterval().toMillis());
    }
  }

  /** A stream etcd has not confirmed in time is given up and opened again. */
  private void checkCreated(EtcdWatchStream s) {
    if (!s.created() && !closed) {
      LOG.debugf("etcd did not confirm the watch within %d ms; re-opening it", createTimeoutMillis());
      s.cancel();
      onFailed(s, new IllegalStateException("etcd did not confirm the watch within " + createTimeoutMillis() + " ms"));
    }
  }

  /**
   * etcd confirms a new watch within milliseconds; right after an etcd restart a watch stream
   * sometimes gets no answer at all, so one unconfirmed after this long is opened again.
   */
  private long createTimeoutMillis() {
    return Math.min(2000, client.config().requestTimeout().toMillis());
  }

  private void onCompacted(EtcdWatchStream from, long compactRevision) {
    List<Sub> dropped;
    synchronized (lock) {
      if (closed || from != stream) {
        return;
      }
      LOG.warnf("etcd compacted past revision %d (compacted at %d) while its watch was down; "
          + "ending all watches so that clients list again", seen + 1, compactRevision);
      stream = null;
      synced = false;
      dropped = List.copyOf(subs);
      subs.clear();
      for (Sub s : dropped) {
        s.closed = true;
      }
    }
    for (Sub s : dropped) {
      s.listener.onClose(new CompactedException(s.after, compactRevision));
    }
    later(this::restart, 0);
  }

  private void restart() {
    if (closed) {
      return;
    }
    try {
      start();
      LOG.infof("etcd watch cache started again at revision %d", seen);
    } catch (RuntimeException e) {
      later(this::restart, client.config().watchRetryInterval().toMillis());
    }
  }

  Watch watch(String prefix, long after, WatchListener listener) {
    if (closed) {
      throw new StorageUnavailableException("storage is closed", null);
    }
    long compacted = client.knownCompacted();
    if (after + 1 < compacted) {
      throw new CompactedException(after, compacted);
    }
    if (after > seen) {
      long current = client.currentRevision();
      if (after > current) {
        throw new FutureRevisionException(after, current);
      }
    }
    synchronized (lock) {
      if (closed) {
        throw new StorageUnavailableException("storage is closed", null);
      }
      if (!synced) {
        throw new StorageUnavailableException("the etcd watch cache is starting again after a compaction", null);
      }
      if (after >= bufferStart) {
        Sub s = new Sub(prefix, after, listener);
        for (List<WatchEvent> batch : ring) {
          if (batch.get(0).revision() > after) {
            s.offer(batch);
          }
        }
        subs.add(s);
        return s;
      }
    }
    return direct.open(prefix, after, listener);
  }

  private void later(Runnable task, long millis) {
    try {
      retry.schedule(task, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  @Override
  public void close() {
    List<Sub> open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (stream != null) {
        stream.cancel();
      }
      open = List.copyOf(subs);
      subs.clear();
    }
    retry.shutdownNow();
    for (Sub s : open) {
      if (!s.closed) {
        s.closed = true;
        s.listener.onClose(new WatchClosedException("storage closed"));
      }
    }
    direct.closeAll();
  }

  /** One storage watch served from the shared etcd watch. */
  private final class Sub implements Watch {
    final String prefix;
    final long after;
    final WatchListener listener;
    volatile boolean closed;

    Sub(String prefix, long after, WatchListener listener) {
      this.prefix = prefix;
      this.after = after;
      this.listener = listener;
    }

    /** Called with the cache's lock held: one call at a time, in revision order. */
    void offer(List<WatchEvent> batch) {
      if (closed || batch.get(0).revision() <= after) {
        return;
      }
      List<WatchEvent> mine = batch.stream().filter(e -> e.kv().key().startsWith(prefix)).toList();
      if (mine.isEmpty()) {
        return;
      }
      try {
        listener.onEvents(mine);
      } catch (RuntimeException e) {
        LOG.warnf(e, "watch listener failed; closing its watch");
        close();
      }
    }

    @Override
    public void close() {
      closed = true;
      subs.remove(this);
    }

    /** The shared watch covers every key: what it delivered, this watch has had its share of. */
    @Override
    public long progressRevision() {
      return closed ? 0 : Math.max(after, delivered);
    }
  }
}
