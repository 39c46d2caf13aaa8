package io.capstan.controllers.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The keys a controller still has to reconcile, with client-go's workqueue semantics.
 *
 * <ul>
 *   <li><b>Dedup.</b> A key added while it is queued and not yet taken is queued once.
 *   <li><b>Exclusive processing.</b> A key that was {@linkplain #take() taken} is not handed out
 *       again until {@link #done} is called for it. Added meanwhile, it is marked dirty and queued
 *       again by {@code done}, so the change is never lost and never processed in parallel.
 *   <li><b>Delay.</b> {@link #addAfter} queues a key once its delay has passed; a key waiting
 *       twice keeps the earlier deadline.
 *   <li><b>Backoff.</b> {@link #addRateLimited} waits 5 ms for a key's first failure, doubling up
 *       to 1000 s, until {@link #forget} resets the count.
 *   <li><b>Shutdown.</b> After {@link #shutDown()} adds are ignored and {@link #take()} returns
 *       empty at once, leaving any queued keys behind.
 * </ul>
 *
 * A worker's loop: {@code take} a key, reconcile it, then {@code forget} (success) or {@code
 * addRateLimited} (failure), and always {@code done}. Thread-safe; every method takes one lock.
 */
public final class WorkQueue<T> {
  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(5);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1000);

  private final LongSupplier nanoTime;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  private final DelayedKeys<T> waiting = new DelayedKeys<>();
  private final ItemBackoff<T> backoff;
  private boolean shutDown;

  public WorkQueue() {
    this(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, System::nanoTime);
  }

  /** A queue with its own backoff bounds and clock (a {@link System#nanoTime()}-like source). */
  public WorkQueue(Duration baseDelay, Duration maxDelay, LongSupplier nanoTime) {
    this.backoff = new ItemBackoff<>(baseDelay, maxDelay);
    this.nanoTime = nanoTime;
  }

  /** Queues {@code key} unless it is already queued; a key being processed is marked dirty. */
  public void add(T key) {
    lock.lock();
    try {
      if (shutDown || !dirty.add(key)) {
        return;
      }
      if (!processing.contains(key)) {
        queue.addLast(key);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code key} once {@code delay} has passed; zero or negative means now. */
  public void addAfter(T key, Duration delay) {
    addAfterNanos(key, delay.toNanos());
  }

  /** Queues {@code key} after its backoff, counting one more failure for it. */
  public void addRateLimited(T key) {
    lock.lock();
    try {
      if (!shutDown) {
        addAfterNanos(key, backoff.nextDelayNanos(key));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Resets the failure count of {@code key}: its next failure waits the base delay again. */
  public void forget(T key) {
    locked(() -> {
      backoff.forget(key);
      return null;
    });
  }

  /** How many failures of {@code key} were counted since it was last forgotten. */
  public int numRequeues(T key) {
    return locked(() -> backoff.failures(key));
  }

  /** Blocks for the next key and marks it as processing; empty once the queue is shut down. */
  public Optional<T> take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        Optional<T> next = pollLocked();
        if (next.isPresent() || shutDown) {
          return next;
        }
        OptionalLong deadline = waiting.nextDeadline();
        if (deadline.isEmpty()) {
          changed.await();
        } else {
          changed.await(deadline.getAsLong() - nanoTime.getAsLong(), TimeUnit.NANOSECONDS);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #take()} without blocking: empty when no key is ready now. */
  public Optional<T> poll() {
    return locked(this::pollLocked);
  }

  /** Ends the processing of {@code key}; if it was added meanwhile, queues it again. */
  public void done(T key) {
    lock.lock();
    try {
      processing.remove(key);
      if (dirty.contains(key) && !shutDown) {
        queue.addLast(key);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops the queue: adds are ignored, blocked and later {@link #take()} calls return empty. */
  public void shutDown() {
    lock.lock();
    try {
      shutDown = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isShutDown() {
    return locked(() -> shutDown);
  }

  /** The number of keys ready to be taken (not those waiting for a delay or being processed). */
  public int length() {
    return locked(() -> {
      promoteReady();
      return queue.size();
    });
  }

  private void addAfterNanos(T key, long delayNanos) {
    if (delayNanos <= 0) {
      add(key);
      return;
    }
    lock.lock();
    try {
      if (shutDown) {
        return;
      }
      if (waiting.schedule(key, nanoTime.getAsLong() + delayNanos)) {
        // A worker may be sleeping until a later deadline.
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private Optional<T> pollLocked() {
    if (shutDown) {
      return Optional.empty();
    }
    promoteReady();
    T key = queue.pollFirst();
    if (key == null) {
      return Optional.empty();
    }
    processing.add(key);
    dirty.remove(key);
    return Optional.of(key);
  }

  private <R> R locked(Supplier<R> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /** Moves every waiting key whose deadline has passed into the queue. */
  private void promoteReady() {
    waiting.drainReady(nanoTime.getAsLong(), this::add);
  }
}
