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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * In-process fan-out of committed events. The writer {@link #publish}es each committed batch
 * (never blocking); one dispatcher thread matches events against the registered watch prefixes
 * and appends them to the watches' bounded queues; a small shared pool calls the listeners.
 *
 * <p>Registration and the dispatch of one batch exclude each other (hub lock). So a batch
 * dispatched before a watch registered was committed before it, and is therefore in the history
 * the watch reads after registering; every later batch reaches the watch's buffer.
 */
final class WatchHub {
  private static final List<WatchEvent> STOP = List.of();

  private final Object lock = new Object();
  private final Map<String, Set<HubWatch>> byPrefix = new HashMap<>();
  private final LinkedBlockingQueue<List<WatchEvent>> inbox = new LinkedBlockingQueue<>();
  private final ExecutorService delivery;
  private final Thread dispatcher;
  private final int bound;
  private boolean closed;

  WatchHub(String name, int deliveryThreads, int bound) {
    this.bound = bound;
    this.delivery = Executors.newFixedThreadPool(deliveryThreads, Threads.factory(name + "-watch"));
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

  private void dispatchLoop() {
    List<HubWatch> finished = new ArrayList<>();
    while (true) {
      List<WatchEvent> batch;
      try {
        batch = inbox.take();
      } catch (InterruptedException e) {
        continue; // only close() stops the dispatcher
      }
      if (batch == STOP) {
        return;
      }
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
