package io.capstan.apiserver.storage.sqlite;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * When revisions were written, in one-second buckets, so that automatic compaction can keep a
 * minimum age of history. Each bucket records the newest revision written in it and the time of
 * that write, so a revision's recorded time is never earlier than its real one. Revisions written
 * before the store was opened count as written at opening time.
 */
final class RevisionTimes {
  private static final long BUCKET_MILLIS = 1000;

  /** {rev, bucketStartMillis, lastWriteMillis}. */
  private final ArrayDeque<long[]> buckets = new ArrayDeque<>();

  synchronized void record(long rev, long nowMillis) {
    long[] last = buckets.peekLast();
    if (last != null && nowMillis - last[1] < BUCKET_MILLIS) {
      last[0] = Math.max(last[0], rev);
      last[2] = Math.max(last[2], nowMillis);
    } else {
      buckets.addLast(new long[] {rev, nowMillis, nowMillis});
    }
  }

  /** The newest revision known to be written at or before {@code cutoffMillis}; 0 if none. */
  synchronized long newestAtOrBefore(long cutoffMillis) {
    long best = 0;
    for (long[] b : buckets) {
      if (b[2] > cutoffMillis) {
        break;
      }
      best = b[0];
    }
    return best;
  }

  /** Drops buckets that cannot matter any more once {@code compactedRev} is compacted. */
  synchronized void forgetUpTo(long compactedRev) {
    Iterator<long[]> it = buckets.iterator();
    while (it.hasNext() && buckets.size() > 1) {
      if (it.next()[0] <= compactedRev) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
