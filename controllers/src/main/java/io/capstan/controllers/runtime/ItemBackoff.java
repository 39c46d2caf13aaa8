package io.capstan.controllers.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential backoff, as client-go's ItemExponentialFailureRateLimiter: the n-th
 * consecutive failure of a key waits {@code base * 2^(n-1)}, capped at {@code max}, until the key
 * is forgotten. Not thread-safe; {@link WorkQueue} guards it with its lock.
 */
final class ItemBackoff<T> {
  private final long baseNanos;
  private final long maxNanos;
  private final Map<T, Integer> failures = new HashMap<>();

  ItemBackoff(Duration base, Duration max) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max: " + base + ", " + max);
    }
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** Counts one more failure of {@code key} and returns how long it should wait. */
  long nextDelayNanos(T key) {
    int n = failures.merge(key, 1, Integer::sum);
    // Past 2^62 the shift overflows; the cap is reached long before that for any sane base.
    int exp = Math.min(n - 1, 62);
    long delay = baseNanos << exp;
    return delay <= 0 || (delay >> exp) != baseNanos || delay > maxNanos ? maxNanos : delay;
  }

  /** The number of failures counted for {@code key} since it was last forgotten. */
  int failures(T key) {
    return failures.getOrDefault(key, 0);
  }

  void forget(T key) {
    failures.remove(key);
  }
}
