package io.capstan.apiserver.storage.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SqliteStorage}. Start from {@link #defaults(Path)} and adjust with the
 * {@code with*} methods.
 *
 * @param dbFile the SQLite database file (its {@code -wal} and {@code -shm} files sit beside it)
 * @param synchronous SQLite's {@code PRAGMA synchronous}; FULL makes every acknowledged write
 *     survive a power loss, NORMAL only a process crash
 * @param busyTimeout how long a connection waits for a lock held by another one
 * @param maxBatch most write requests committed together in one transaction (group commit)
 * @param readPoolSize number of read-only connections
 * @param watchQueueBound a watch whose listener is blocked (one call running for 100 ms or more)
 *     is closed with a {@link io.capstan.apiserver.storage.WatchClosedException} once more than this
 *     many live events wait behind the call; any watch is closed once it holds more than {@code
 *     watchQueueBound + max(watchQueueBound, 1024)} undelivered live events. Short delays (a
 *     descheduled delivery thread) do not close a watch
 * @param deliveryThreads threads that call watch listeners (shared by all watches); a thread is
 *     added for each listener call blocked for 100 ms or more, so blocked listeners never stop the
 *     delivery to the other watches
 * @param compactionInterval period of automatic compaction; zero disables it
 * @param retainAge automatic compaction keeps at least this much history
 * @param retainRevisions automatic compaction keeps at least this many revisions
 * @param compactBatchRevisions compaction deletes history in transactions covering this many
 *     revisions, so that writes are not held up for long
 * @param vacuumPages most free pages returned to the file system after a compaction
 * @param ttlCheckInterval how often keys with an expired TTL are looked for
 */
public record SqliteStorageConfig(
    Path dbFile,
    Synchronous synchronous,
    Duration busyTimeout,
    int maxBatch,
    int readPoolSize,
    int watchQueueBound,
    int deliveryThreads,
    Duration compactionInterval,
    Duration retainAge,
    long retainRevisions,
    int compactBatchRevisions,
    int vacuumPages,
    Duration ttlCheckInterval) {

  /** Values of SQLite's {@code PRAGMA synchronous}. */
  public enum Synchronous {
    OFF,
    NORMAL,
    FULL,
    EXTRA
  }

  public SqliteStorageConfig {
    Objects.requireNonNull(dbFile, "dbFile");
    Objects.requireNonNull(synchronous, "synchronous");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(compactionInterval, "compactionInterval");
    Objects.requireNonNull(retainAge, "retainAge");
    Objects.requireNonNull(ttlCheckInterval, "ttlCheckInterval");
    if (maxBatch < 1 || readPoolSize < 1 || watchQueueBound < 1 || deliveryThreads < 1) {
      throw new IllegalArgumentException("maxBatch, readPoolSize, watchQueueBound and deliveryThreads must be >= 1");
    }
    if (retainRevisions < 0 || compactBatchRevisions < 1 || vacuumPages < 0) {
      throw new IllegalArgumentException("invalid compaction settings");
    }
    if (ttlCheckInterval.isZero() || ttlCheckInterval.isNegative() || compactionInterval.isNegative()) {
      throw new IllegalArgumentException("invalid intervals");
    }
  }

  /**
   * Production defaults: {@code dir/capstan.db}, synchronous FULL, compaction every 5 minutes
   * keeping at least 5 minutes and 1000 revisions of history, batches of up to 256 writes.
   */
  public static SqliteStorageConfig defaults(Path dir) {
    return new SqliteStorageConfig(
        dir.resolve("capstan.db"),
        Synchronous.FULL,
        Duration.ofSeconds(30),
        256,
        4,
        4096,
        2,
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        1000,
        1000,
        16384,
        Duration.ofSeconds(1));
  }

  public SqliteStorageConfig withSynchronous(Synchronous value) {
    return new SqliteStorageConfig(dbFile, value, busyTimeout, maxBatch, readPoolSize, watchQueueBound,
        deliveryThreads, compactionInterval, retainAge, retainRevisions, compactBatchRevisions,
        vacuumPages, ttlCheckInterval);
  }

  /** Automatic compaction settings; an interval of zero disables it ({@code compact} still works). */
  public SqliteStorageConfig withCompaction(Duration interval, Duration age, long revisions) {
    return new SqliteStorageConfig(dbFile, synchronous, busyTimeout, maxBatch, readPoolSize,
        watchQueueBound, deliveryThreads, interval, age, revisions, compactBatchRevisions,
        vacuumPages, ttlCheckInterval);
  }

  public SqliteStorageConfig withCompactBatchRevisions(int value) {
    return new SqliteStorageConfig(dbFile, synchronous, busyTimeout, maxBatch, readPoolSize,
        watchQueueBound, deliveryThreads, compactionInterval, retainAge, retainRevisions, value,
        vacuumPages, ttlCheckInterval);
  }

  public SqliteStorageConfig withTtlCheckInterval(Duration value) {
    return new SqliteStorageConfig(dbFile, synchronous, busyTimeout, maxBatch, readPoolSize,
        watchQueueBound, deliveryThreads, compactionInterval, retainAge, retainRevisions,
        compactBatchRevisions, vacuumPages, value);
  }

  public SqliteStorageConfig withWatchQueueBound(int value) {
    return new SqliteStorageConfig(dbFile, synchronous, busyTimeout, maxBatch, readPoolSize, value,
        deliveryThreads, compactionInterval, retainAge, retainRevisions, compactBatchRevisions,
        vacuumPages, ttlCheckInterval);
  }

  public SqliteStorageConfig withDeliveryThreads(int value) {
    return new SqliteStorageConfig(dbFile, synchronous, busyTimeout, maxBatch, readPoolSize,
        watchQueueBound, value, compactionInterval, retainAge, retainRevisions, compactBatchRevisions,
        vacuumPages, ttlCheckInterval);
  }

  public SqliteStorageConfig withMaxBatch(int value) {
    return new SqliteStorageConfig(dbFile, synchronous, busyTimeout, value, readPoolSize,
        watchQueueBound, deliveryThreads, compactionInterval, retainAge, retainRevisions,
        compactBatchRevisions, vacuumPages, ttlCheckInterval);
  }
}
