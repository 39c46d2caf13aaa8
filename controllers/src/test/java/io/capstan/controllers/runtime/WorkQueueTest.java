package io.capstan.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final WorkQueue<String> queue =
      new WorkQueue<>(WorkQueue.DEFAULT_BASE_DELAY, WorkQueue.DEFAULT_MAX_DELAY, now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aKeyQueuedTwiceIsHandedOutOnce() {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assertEquals(2, queue.length());
    assertEquals(Optional.of("a"), queue.poll());
    assertEquals(Optional.of("b"), queue.poll());
    assertEquals(Optional.empty(), queue.poll());
  }

  @Test
  void aKeyBeingProcessedIsNotHandedOutUntilDoneThenComesBackOnceIfReAdded() {
    queue.add("a");
    assertEquals(Optional.of("a"), queue.poll());
    queue.add("a");
    queue.add("a");
    assertEquals(Optional.empty(), queue.poll(), "a is still being processed");
    queue.done("a");
    assertEquals(Optional.of("a"), queue.poll(), "re-added while processing: queued again by done");
    queue.done("a");
    assertEquals(Optional.empty(), queue.poll(), "not re-added this time");
  }

  @Test
  void doneWithoutReAddQueuesNothing() {
    queue.add("a");
    queue.poll();
    queue.done("a");
    assertEquals(0, queue.length());
  }

  @Test
  void failuresBackOffExponentiallyPerKeyUntilForgotten() {
    assertNextDelay("a", Duration.ofMillis(5));
    assertNextDelay("a", Duration.ofMillis(10));
    assertNextDelay("a", Duration.ofMillis(20));
    assertEquals(3, queue.numRequeues("a"));
    assertEquals(0, queue.numRequeues("b"), "backoff is per key");
    assertNextDelay("b", Duration.ofMillis(5));
    queue.forget("a");
    assertEquals(0, queue.numRequeues("a"));
    assertNextDelay("a", Duration.ofMillis(5));
  }

  @Test
  void backoffIsCappedAtTheMaximum() {
    ItemBackoff<String> backoff = new ItemBackoff<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    long last = 0;
    for (int i = 0; i < 100; i++) {
      last = backoff.nextDelayNanos("a");
      assertTrue(last > 0 && last <= Duration.ofSeconds(1000).toNanos(), "delay " + last + " at failure " + i);
    }
    assertEquals(Duration.ofSeconds(1000).toNanos(), last);
    // 5 ms * 2^17 = 655 s, 2^18 = 1311 s: the 19th failure is the first one capped.
    ItemBackoff<String> fresh = new ItemBackoff<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    for (int i = 0; i < 18; i++) {
      fresh.nextDelayNanos("b");
    }
    assertEquals(Duration.ofSeconds(1000).toNanos(), fresh.nextDelayNanos("b"));
  }

  @Test
  void addAfterWaitsForItsDelayAndKeepsTheEarlierDeadline() {
    queue.addAfter("a", Duration.ofSeconds(10));
    queue.addAfter("a", Duration.ofSeconds(2));
    queue.addAfter("a", Duration.ofSeconds(5));
    assertEquals(Optional.empty(), queue.poll());
    advance(Duration.ofMillis(1999));
    assertEquals(Optional.empty(), queue.poll());
    advance(Duration.ofMillis(1));
    assertEquals(Optional.of("a"), queue.poll());
    queue.done("a");
    advance(Duration.ofSeconds(20));
    assertEquals(Optional.empty(), queue.poll(), "the later deadlines were merged into the first");
  }

  @Test
  void addAfterOfAQueuedKeyDoesNotDuplicateIt() {
    queue.add("a");
    queue.addAfter("a", Duration.ofMillis(1));
    advance(Duration.ofMillis(1));
    assertEquals(1, queue.length());
  }

  @Test
  void addAfterWithoutDelayQueuesAtOnce() {
    queue.addAfter("a", Duration.ZERO);
    assertEquals(Optional.of("a"), queue.poll());
  }

  @Test
  void shutDownWakesBlockedTakersAndIgnoresAdds() throws Exception {
    WorkQueue<String> real = new WorkQueue<>();
    CompletableFuture<Optional<String>> taker = CompletableFuture.supplyAsync(() -> take(real));
    real.shutDown();
    assertEquals(Optional.empty(), taker.get(10, TimeUnit.SECONDS));
    real.add("a");
    real.addAfter("a", Duration.ofMillis(1));
    real.addRateLimited("a");
    assertEquals(Optional.empty(), take(real));
    assertTrue(real.isShutDown());
  }

  @Test
  void aBlockedTakeWakesForAnAddAndForADelayedKey() throws Exception {
    WorkQueue<String> real = new WorkQueue<>();
    CompletableFuture<Optional<String>> first = CompletableFuture.supplyAsync(() -> take(real));
    real.add("a");
    assertEquals(Optional.of("a"), first.get(10, TimeUnit.SECONDS));
    CompletableFuture<Optional<String>> second = CompletableFuture.supplyAsync(() -> take(real));
    real.addAfter("b", Duration.ofMillis(20));
    assertEquals(Optional.of("b"), second.get(10, TimeUnit.SECONDS));
    real.addRateLimited("c");
    assertEquals(Optional.of("c"), CompletableFuture.supplyAsync(() -> take(real)).get(10, TimeUnit.SECONDS));
  }

  @Test
  void concurrentWorkersNeverProcessOneKeyAtTheSameTime() throws Exception {
    WorkQueue<Integer> real = new WorkQueue<>();
    ConcurrentHashMap<Integer, AtomicInteger> active = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger processed = new AtomicInteger();
    int workers = 4;
    CountDownLatch finished = new CountDownLatch(workers);
    for (int w = 0; w < workers; w++) {
      Thread t = new Thread(() -> {
        try {
          Optional<Integer> key;
          while ((key = real.take()).isPresent()) {
            AtomicInteger count = active.computeIfAbsent(key.get(), k -> new AtomicInteger());
            if (count.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            Thread.sleep(0, 50_000);
            count.decrementAndGet();
            processed.incrementAndGet();
            real.done(key.get());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          finished.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    for (int i = 0; i < 20_000; i++) {
      real.add(i % 3);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (real.length() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    real.shutDown();
    assertTrue(finished.await(30, TimeUnit.SECONDS));
    assertEquals(0, overlaps.get(), "a key was processed by two workers at once");
    assertTrue(processed.get() >= 3, "every key was processed");
    assertFalse(processed.get() > 20_000);
  }

  private void assertNextDelay(String key, Duration delay) {
    queue.addRateLimited(key);
    advance(delay.minusNanos(1));
    assertEquals(Optional.empty(), queue.poll(), key + " is still backing off");
    advance(Duration.ofNanos(1));
    assertEquals(Optional.of(key), queue.poll(), key + " is due after " + delay);
    queue.done(key);
  }

  private static <T> Optional<T> take(WorkQueue<T> q) {
    try {
      return q.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
