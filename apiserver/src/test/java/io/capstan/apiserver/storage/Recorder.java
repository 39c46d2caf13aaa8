package io.capstan.apiserver.storage;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/** A {@link WatchListener} that records everything and lets a test wait for it. */
public final class Recorder implements WatchListener {
  private static final long WAIT_MILLIS = 30_000;

  private final List<WatchEvent> events = new ArrayList<>();
  private final List<StorageException> closes = new ArrayList<>();
  private int calls;

  @Override
  public synchronized void onEvents(List<WatchEvent> batch) {
    calls++;
    events.addAll(batch);
    notifyAll();
  }

  @Override
  public synchronized void onClose(StorageException cause) {
    closes.add(cause);
    notifyAll();
  }

  public synchronized List<WatchEvent> events() {
    return new ArrayList<>(events);
  }

  public synchronized List<StorageException> closes() {
    return new ArrayList<>(closes);
  }

  public synchronized int calls() {
    return calls;
  }

  /** Waits until an event with revision {@code >= rev} arrived; returns all events so far. */
  public synchronized List<WatchEvent> awaitRevision(long rev) {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (events.isEmpty() || events.get(events.size() - 1).revision() < rev) {
      waitUntil(deadline, "an event at revision " + rev + "; got " + events);
    }
    return new ArrayList<>(events);
  }

  /** Waits until {@code n} events arrived. */
  public synchronized List<WatchEvent> awaitCount(int n) {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (events.size() < n) {
      waitUntil(deadline, n + " events; got " + events.size());
    }
    return new ArrayList<>(events);
  }

  /** Waits for {@code onClose}. */
  public synchronized StorageException awaitClose() {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (closes.isEmpty()) {
      waitUntil(deadline, "onClose");
    }
    return closes.get(0);
  }

  private void waitUntil(long deadline, String what) {
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      fail("timed out waiting for " + what);
    }
    try {
      wait(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted waiting for " + what);
    }
  }
}
