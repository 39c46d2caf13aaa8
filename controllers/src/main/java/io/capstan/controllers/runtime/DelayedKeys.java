package io.capstan.controllers.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Keys waiting for a deadline (in {@link System#nanoTime()} units), each at most once: a key
 * scheduled twice keeps the earlier deadline. Not thread-safe; {@link WorkQueue} guards it.
 */
final class DelayedKeys<T> {
  private record Entry<T>(T key, long readyAt) {}

  private final PriorityQueue<Entry<T>> byDeadline =
      new PriorityQueue<>((a, b) -> Long.compare(a.readyAt(), b.readyAt()));
  /** The deadline of each key; heap entries that disagree with it are stale and skipped. */
  private final Map<T, Long> deadlines = new HashMap<>();

  /** Schedules {@code key} at {@code readyAt}; returns false when it already waits for less. */
  boolean schedule(T key, long readyAt) {
    Long current = deadlines.get(key);
    if (current != null && current - readyAt <= 0) {
      return false;
    }
    deadlines.put(key, readyAt);
    byDeadline.add(new Entry<>(key, readyAt));
    return true;
  }

  /** Removes every key whose deadline is at or before {@code now} and hands it to {@code ready}. */
  void drainReady(long now, Consumer<T> ready) {
    Entry<T> first;
    while ((first = byDeadline.peek()) != null && first.readyAt() - now <= 0) {
      byDeadline.poll();
      Long at = deadlines.get(first.key());
      if (at != null && at == first.readyAt()) {
        deadlines.remove(first.key());
        ready.accept(first.key());
      }
    }
  }

  /** The earliest deadline, if any key waits. */
  OptionalLong nextDeadline() {
    Entry<T> first = byDeadline.peek();
    return first == null ? OptionalLong.empty() : OptionalLong.of(first.readyAt());
  }

  int size() {
    return deadlines.size();
  }
}
