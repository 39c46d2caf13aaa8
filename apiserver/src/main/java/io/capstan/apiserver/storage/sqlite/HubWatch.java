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
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One watch: its queues and its delivery state. While STARTING (history being read) live events
 * are buffered; {@link #start} puts the replayed history first, then the buffered events newer
 * than the replay's snapshot revision, so there is no duplicate and no gap. Delivery runs on the
 * hub's shared executor, one task at a time per watch (no thread per watch).
 *
 * <p>Falling behind. The watch is closed with {@link WatchClosedException} when its listener is
 * blocked: one call has been running for {@link WatchHub#STALL_NANOS} or longer and more than
 * {@code bound} live events arrived meanwhile (checked on each event and by the hub's periodic
 * sweep). Short delays are tolerated, whether the listener was descheduled inside a call or the
 * watch waited for a delivery thread (thread wake-up, a busy pool): neither says the listener is
 * slow. Memory stays bounded in every case by {@link #backlogCap}: a watch holding more live
 * events than that is closed at once.
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
  private final int backlogCap;
  private boolean starting = true;
  private ArrayDeque<WatchEvent> startBuffer = new ArrayDeque<>();
  private final ArrayDeque<WatchEvent> replay = new ArrayDeque<>();
  private final ArrayDeque<WatchEvent> live = new ArrayDeque<>();
  private long snapshotRev;
  private boolean scheduled;
  private boolean userClosed;
  private StorageException closeCause;
  private boolean closeNotified;
  /** {@link System#nanoTime} (never 0) when the running listener call began; 0 when none runs. */
  private volatile long callStart;
  /** Live events already pending when the running listener call began. */
  private int callBase;

  HubWatch(WatchHub hub, String prefix, WatchListener listener, Executor executor, int bound) {
    this.hub = hub;
    this.prefix = prefix;
    this.listener = listener;
    this.executor = executor;
    this.bound = bound;
    this.backlogCap = backlogCap(bound);
  }

  /**
   * Most events a watch may hold in any state: {@code bound} plus room for at least one full
   * delivery chunk, so that scheduling delays of the shared pool do not close healthy watches.
   */
  static int backlogCap(int bound) {
    return bound > Integer.MAX_VALUE - Math.max(bound, CHUNK) ? Integer.MAX_VALUE : bound + Math.max(bound, CHUNK);
  }

  /**
   * Called by the hub's dispatcher, in revision order. Returns false when the watch is finished
   * (closed, or overflowed just now) and must be removed from the hub. Never blocks for long: the
   * listener is never called under this object's lock.
   */
  synchronized boolean offer(WatchEvent e) {
    if (userClosed || closeCause != null) {
      return false;
    }
    if (starting) {
      startBuffer.add(e);
      if (startBuffer.size() > backlogCap) {
        fail(new WatchClosedException("watch on " + prefix + " fell behind while starting: more than "
            + backlogCap + " events pending"), true);
        return false;
      }
      return true;
    }
    if (e.revision() <= snapshotRev) {
      return true;
    }
    live.add(e);
    if (live.size() > backlogCap) {
      fail(new WatchClosedException("watch on " + prefix + " is too slow: more than " + backlogCap
          + " events pending"), true);
      return false;
    }
    if (live.size() - callBase > bound && callStart != 0 && failIfBlocked(System.nanoTime())) {
      return false;
    }
    schedule();
    return true;
  }

  /**
   * Closes the watch when its listener is blocked: the running call began {@link
   * WatchHub#STALL_NANOS} or more before {@code now} and more than {@code bound} live events
   * arrived since. Returns true when the watch is finished and must be removed from the hub.
   */
  synchronized boolean failIfBlocked(long now) {
    if (userClosed || closeCause != null) {
      return true;
    }
    long start = callStart;
    if (start == 0 || now - start < WatchHub.STALL_NANOS || live.size() - callBase <= bound) {
      return false;
    }
    fail(new WatchClosedException("watch on " + prefix + " is too slow: its listener has been blocked"
        + " for over " + TimeUnit.NANOSECONDS.toMillis(WatchHub.STALL_NANOS) + " ms with more than "
        + bound + " events pending"), true);
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

  /** When the running listener call began ({@link System#nanoTime}); 0 when none runs. */
  long callStart() {
    return callStart;
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

  /** Marks the start of a listener call; caller holds the lock. */
  private void beginCall() {
    long now = System.nanoTime();
    callBase = live.size();
    callStart = now == 0 ? 1 : now;
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
        beginCall();
      }
      hub.callStarted(this);
      if (notify != null) {
        try {
          listener.onClose(notify);
        } catch (RuntimeException ex) {
          LOG.debugf(ex, "watch listener on %s failed in onClose", prefix);
        } finally {
          endCall();
        }
        return;
      }
      try {
        listener.onEvents(batch);
      } catch (RuntimeException ex) {
        LOG.warnf(ex, "watch listener on %s failed; closing the watch", prefix);
        endCall();
        fail(new WatchClosedException("watch listener failed: " + ex), true);
        hub.unregister(this);
      } catch (Error err) {
        endCall();
        fail(new WatchClosedException("watch listener failed: " + err), true);
        hub.unregister(this);
        synchronized (this) {
          submit(); // keep `scheduled`: the next drain delivers onClose
        }
        throw err;
      } finally {
        endCall();
      }
    }
    synchronized (this) {
      submit(); // more may be pending: yield the thread to other watches, keep `scheduled`
    }
  }

  private void endCall() {
    if (callStart != 0) {
      synchronized (this) {
        callStart = 0;
      }
      hub.callEnded(this);
    }
  }
}
