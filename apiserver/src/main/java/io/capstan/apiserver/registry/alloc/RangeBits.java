package io.capstan.apiserver.registry.alloc;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A set of taken offsets {@code 0..size-1}, as kube's bitmap allocator with a static subrange:
 * automatic picks start at a random offset in the upper band and fall back to the lower band
 * (the first {@code staticBand} offsets), so that addresses users choose by hand — the low ones,
 * like 10.96.0.10 for DNS — rarely collide with automatic ones. Not thread-safe: the owner locks.
 */
final class RangeBits {
  private final int size;
  private final int staticBand;
  private final BitSet taken;

  RangeBits(int size, int staticBand) {
    this.size = size;
    this.staticBand = Math.min(staticBand, size);
    this.taken = new BitSet(size);
  }

  /** kube's static band: size/step clamped to [min, max] (16/16/256 for IPs, 16/32/128 for ports). */
  static int band(int size, int min, int step, int max) {
    return Math.max(0, Math.min(Math.max(min, size / step), max));
  }

  int size() {
    return size;
  }

  boolean has(int offset) {
    return taken.get(offset);
  }

  /** Takes {@code offset}; false when it was taken already. */
  boolean take(int offset) {
    if (taken.get(offset)) {
      return false;
    }
    taken.set(offset);
    return true;
  }

  void release(int offset) {
    if (offset >= 0 && offset < size) {
      taken.clear(offset);
    }
  }

  /** Frees every offset (before re-marking from an authoritative source). */
  void clear() {
    taken.clear();
  }

  /** A free offset (upper band first, from a random start), or -1 when the range is full. */
  int pickFree() {
    int found = scan(staticBand, size);
    return found >= 0 ? found : scan(0, staticBand);
  }

  /** Takes and returns a free offset, or -1 when the range is full. */
  int takeNext() {
    int offset = pickFree();
    if (offset >= 0) {
      taken.set(offset);
    }
    return offset;
  }

  private int scan(int from, int to) {
    if (from >= to) {
      return -1;
    }
    int start = from + ThreadLocalRandom.current().nextInt(to - from);
    int hit = taken.nextClearBit(start);
    if (hit < to) {
      return hit;
    }
    hit = taken.nextClearBit(from);
    return hit < start ? hit : -1;
  }
}
