package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.WatchClosedException;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * In-process fan-out of committed events. The writer {@link #publish}es each committed batch
 * (never blocking); one dispatcher thread matches events against the registered watch prefixes
 * and appends them to the watches' bounded queues; a small shared pool calls the listeners.
 *
 * <p>Registration and the dispatch of one batch exclude each other (hub lock). So a batch
 * dispatched before a watch registered was committed before it, and is therefore in the history
 * the watch reads after registering; every later batch reaches the watch's buffer.
 *
 * <p>Listeners must not block, but one that does must not hold up the other watches: every
 * {@link #SWEEP_MILLIS} ms the dispatcher looks at the running listener calls. For each call
 * blocked for {@link #STALL_NANOS} or longer it adds a delivery thread (up to {@link
 * #MAX_EXTRA_THREADS}), removed again once the call returns; and it closes the watch of such a
 * call once more than {@code bound} events are waiting behind it (see {@link HubWatch}).
 */
final class WatchHub {
  private static final Logger LOG = Logger.getLogger(WatchHub.class);
  private static final List<WatchEvent> STOP = List.of();
  /** A listener call running this long counts as blocked: its thread is replaced. */
  static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long SWEEP_MILLIS = 25;
  /** Most delivery threads added for blocked listener calls. */
  static final int MAX_EXTRA_THREADS = 64;

  private final Object lock = new Object();
  private final Map<String, Set<HubWatch>> byPrefix = new HashMap<>();
  private final LinkedBlockingQueue<List<WatchEvent>> inbox = new LinkedBlockingQueue<>();
  /** Watches whose listener is being called right now. */
  private final Set<HubWatch> inCall = ConcurrentHashMap.newKeySet();
  private final ThreadPoolExecutor delivery;
  private final int deliveryThreads;
  private final Thread dispatcher;
  private final int bound;
  private boolean closed;
  private long lastSweep = System.nanoTime();

  WatchHub(String name, int deliveryThreads, int bound) {
    this.bound = bound;
    this.deliveryThreads = deliveryThreads;
    this.delivery = new ThreadPoolExecutor(deliveryThreads, deliveryThreads, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), Threads.factory(name + "-watch"));
    this.dispatcher = Threads.daemon(name + "-dispatch", this::dispatchLoop);
    dispatcher.start();
  }

  /** Hands over the events of one committed transaction batch, in revision order. */
  void publish(List<WatchEvent> events) {
    if (!events.isEmpty()) {
      inbox.add(events);
    }
  }

  /** Registers a watch in STARTING state: live events are buffered until {@link HubWatch#start}. */
  HubWatch register(String prefix, WatchListener listener) {
    HubWatch w = new HubWatch(this, prefix, listener, delivery, bound);
    synchronized (lock) {
      if (closed) {
        throw new StorageUnavailableException("storage is closed", null);
      }
      byPrefix.computeIfAbsent(prefix, p -> new LinkedHashSet<>()).add(w);
    }
    return w;
  }

  void unregister(HubWatch w) {
    synchronized (lock) {
      Set<HubWatch> set = byPrefix.get(w.prefix);
      if (set != null && set.remove(w) && set.isEmpty()) {
        byPrefix.remove(w.prefix);
      }
    }
  }

  /** Number of registered watches. */
  int size() {
    synchronized (lock) {
      return byPrefix.values().stream().mapToInt(Set::size).sum();
    }
  }

  /** A listener call of {@code w} begins (called by the delivery thread). */
  void callStarted(HubWatch w) {
    inCall.add(w);
  }

  /** The listener call of {@code w} returned. */
  void callEnded(HubWatch w) {
    inCall.remove(w);
  }

  /** Current number of delivery threads the pool may run (tests). */
  int deliveryThreads() {
    return delivery.getCorePoolSize();
  }

  private void dispatchLoop() {
    List<HubWatch> finished = new ArrayList<>();
    while (true) {
      List<WatchEvent> batch;
      try {
        batch = inbox.poll(SWEEP_MILLIS, TimeUnit.MILLISECONDS); // wake up to check listener calls
      } catch (InterruptedException e) {
        continue; // only close() stops the dispatcher
      }
      if (batch == STOP) {
        return;
      }
      if (batch != null) {
        dispatch(batch, finished);
      }
      long now = System.nanoTime();
      if (now - lastSweep >= TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS)) {
        lastSweep = now;
        sweepBlockedCalls(now);
      }
    }
  }

  /**
   * Closes the watches whose blocked listener has fallen behind, and sizes the pool to {@code
   * deliveryThreads} plus one thread per listener call blocked for {@link #STALL_NANOS} or longer,
   * so blocked listeners never take all threads from the others.
   */
  private void sweepBlockedCalls(long now) {
    int blocked = 0;
    for (HubWatch w : inCall) {
      long start = w.callStart();
      if (start != 0 && now - start >= STALL_NANOS) {
        blocked++;
        if (w.failIfBlocked(now)) {
          unregister(w);
        }
      }
    }
    int target = deliveryThreads + Math.min(blocked, MAX_EXTRA_THREADS);
    int current = delivery.getCorePoolSize();
    if (target > current) {
      LOG.warnf("%d watch listener call(s) blocked for over %d ms (listeners must not block);"
          + " using %d delivery threads", blocked, TimeUnit.NANOSECONDS.toMillis(STALL_NANOS), target);
      delivery.setMaximumPoolSize(target);
      delivery.setCorePoolSize(target); // starts threads for queued deliveries
    } else if (target < current) {
      LOG.debugf("blocked watch listener calls returned; using %d delivery threads", target);
      delivery.setCorePoolSize(target);
      delivery.setMaximumPoolSize(target); // idle threads beyond it end
    }
  }

  private void dispatch(List<WatchEvent> batch, List<HubWatch> finished) {
    synchronized (lock) {
      for (WatchEvent e : batch) {
        String key = e.kv().key();
        for (Map.Entry<String, Set<HubWatch>> entry : byPrefix.entrySet()) {
          if (key.startsWith(entry.getKey())) {
            for (HubWatch w : entry.getValue()) {
              if (!w.offer(e)) {
                finished.add(w);
              }
            }
          }
        }
      }
      for (HubWatch w : finished) {
        unregister(w);
      }
    }
    finished.clear();
  }

  /**
   * Delivers what was published, then ends every watch with {@link WatchClosedException} (after
   * its pending events) and stops the threads. Call after the writer has stopped.
   */
  void close() {
    inbox.add(STOP);
    boolean interrupted = false;
    while (dispatcher.isAlive()) {
      try {
        dispatcher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    List<HubWatch> all = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      byPrefix.values().forEach(all::addAll);
      byPrefix.clear();
    }
    for (HubWatch w : all) {
      w.fail(new WatchClosedException("storage closed"), false);
    }
    delivery.shutdown();
    try {
      if (!delivery.awaitTermination(10, TimeUnit.SECONDS)) {
        delivery.shutdownNow();
      }
    } catch (InterruptedException e) {
      interrupted = true;
      delivery.shutdownNow();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
