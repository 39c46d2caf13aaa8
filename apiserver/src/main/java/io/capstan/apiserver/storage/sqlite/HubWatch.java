package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchClosedException;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * One watch: its queues and its delivery state. While STARTING (history being read) live events
 * are buffered; {@link #start} puts the replayed history first, then the buffered events newer
 * than the replay's snapshot revision, so there is no duplicate and no gap. Delivery runs on the
 * hub's shared executor, one task at a time per watch (no thread per watch).
 */
final class HubWatch implements Watch {
  private static final Logger LOG = Logger.getLogger(HubWatch.class);
  private static final int CHUNK = 1024;
  private static final int ROUNDS = 8;

  final String prefix;
  private final WatchHub hub;
  private final WatchListener listener;
  private final Executor executor;
  private final int bound;
  private boolean starting = true;
  private ArrayDeque<WatchEvent> startBuffer = new ArrayDeque<>();
  private final ArrayDeque<WatchEvent> replay = new ArrayDeque<>();
  private final ArrayDeque<WatchEvent> live = new ArrayDeque<>();
  private long snapshotRev;
  private boolean scheduled;
  private boolean userClosed;
  private StorageException closeCause;
  private boolean closeNotified;

  HubWatch(WatchHub hub, String prefix, WatchListener listener, Executor executor, int bound) {
    this.hub = hub;
    this.prefix = prefix;
    this.listener = listener;
    this.executor = executor;
    this.bound = bound;
  }

  /**
   * Called by the hub's dispatcher, in revision order. Returns false when the watch is finished
   * (closed, or overflowed just now) and must be removed from the hub.
   */
  synchronized boolean offer(WatchEvent e) {
    if (userClosed || closeCause != null) {
      return false;
    }
    if (starting) {
      startBuffer.add(e);
      if (startBuffer.size() > bound) {
        fail(new WatchClosedException("watch on " + prefix + " fell behind while starting"), true);
        return false;
      }
      return true;
    }
    if (e.revision() <= snapshotRev) {
      return true;
    }
    live.add(e);
    if (live.size() > bound) {
      fail(new WatchClosedException("watch on " + prefix + " is too slow: more than " + bound
          + " events pending"), true);
      return false;
    }
    schedule();
    return true;
  }

  /** Ends the STARTING phase with the history read at {@code snapshotRev}. */
  synchronized void start(List<WatchEvent> history, long snapshotRev) {
    this.snapshotRev = snapshotRev;
    starting = false;
    if (userClosed || closeCause != null) {
      startBuffer = null;
      if (!userClosed) {
        schedule(); // deliver onClose for an overflow while starting
      }
      return;
    }
    replay.addAll(history);
    for (WatchEvent e : startBuffer) {
      if (e.revision() > snapshotRev) {
        live.add(e);
      }
    }
    startBuffer = null;
    if (!replay.isEmpty() || !live.isEmpty()) {
      schedule();
    }
  }

  /** Ends the watch from the store's side; the listener gets {@code onClose(cause)}. */
  synchronized void fail(StorageException cause, boolean dropPending) {
    if (userClosed || closeCause != null) {
      return;
    }
    closeCause = cause;
    if (dropPending) {
      replay.clear();
      live.clear();
    }
    if (!starting) {
      schedule();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (userClosed) {
        return;
      }
      userClosed = true;
      replay.clear();
      live.clear();
    }
    hub.unregister(this);
  }

  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      submit();
    }
  }

  private void submit() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      Threads.daemon("capstan-storage-watch-final", this::drain).start();
    }
  }

  private void drain() {
    for (int round = 0; round < ROUNDS; round++) {
      List<WatchEvent> batch;
      StorageException notify = null;
      synchronized (this) {
        if (userClosed) {
          scheduled = false;
          return;
        }
        ArrayDeque<WatchEvent> source = replay.isEmpty() ? live : replay;
        batch = new ArrayList<>(Math.min(CHUNK, source.size()));
        while (batch.size() < CHUNK && !source.isEmpty()) {
          batch.add(source.poll());
        }
        if (batch.isEmpty()) {
          scheduled = false;
          if (closeCause == null || closeNotified) {
            return;
          }
          closeNotified = true;
          notify = closeCause;
        }
      }
      if (notify != null) {
        try {
          listener.onClose(notify);
        } catch (RuntimeException ex) {
          LOG.debugf(ex, "watch listener on %s failed in onClose", prefix);
        }
        return;
      }
      try {
        listener.onEvents(batch);
      } catch (RuntimeException ex) {
        LOG.warnf(ex, "watch listener on %s failed; closing the watch", prefix);
        fail(new WatchClosedException("watch listener failed: " + ex), true);
        hub.unregister(this);
      }
    }
    synchronized (this) {
      submit(); // more may be pending: yield the thread to other watches, keep `scheduled`
    }
  }
}
