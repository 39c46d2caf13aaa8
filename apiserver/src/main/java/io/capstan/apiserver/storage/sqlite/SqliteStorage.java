package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The embedded SQLite backend of {@link Storage}: an append-only {@code log} of every write plus a
 * {@code current} table of live keys, written by one writer thread with group commit, read
 * through a pool of read-only connections, with in-process watch fan-out and periodic compaction.
 * See the package documentation for the design.
 */
public final class SqliteStorage implements Storage {
  private static final Logger LOG = Logger.getLogger(SqliteStorage.class);
  private static final AtomicInteger SEQ = new AtomicInteger();

  private final String name;
  private final SqliteStorageConfig cfg;
  private final Writer writer;
  private final ReadPool pool;
  private final Reads reads;
  private final WatchHub hub;
  private final Compactor compactor;
  private final ScheduledExecutorService maintenance;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteStorage(String name, SqliteStorageConfig cfg, Writer writer, ReadPool pool, WatchHub hub,
      Compactor compactor) {
    this.name = name;
    this.cfg = cfg;
    this.writer = writer;
    this.pool = pool;
    this.reads = new Reads(pool);
    this.hub = hub;
    this.compactor = compactor;
    ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, Threads.factory(name + "-maint"));
    exec.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.maintenance = exec;
    TtlExpirer expirer = new TtlExpirer(reads, writer);
    long ttlMillis = cfg.ttlCheckInterval().toMillis();
    exec.scheduleWithFixedDelay(() -> guarded("TTL expiry", expirer::expireNow), ttlMillis, ttlMillis,
        TimeUnit.MILLISECONDS);
    long compactMillis = cfg.compactionInterval().toMillis();
    if (compactMillis > 0) {
      exec.scheduleWithFixedDelay(() -> guarded("compaction", compactor::compactByRetention),
          compactMillis, compactMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Opens (creating if needed) the store described by {@code cfg}. */
  public static SqliteStorage open(SqliteStorageConfig cfg) {
    String name = "capstan-storage-sqlite" + SEQ.incrementAndGet();
    Connection conn = null;
    ReadPool pool = null;
    WatchHub hub = null;
    try {
      Path parent = cfg.dbFile().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      conn = Schema.openWriter(cfg);
      Schema.Meta meta = Schema.loadMeta(conn);
      pool = new ReadPool(cfg);
      RevisionTimes times = new RevisionTimes();
      times.record(meta.currentRev(), System.currentTimeMillis());
      hub = new WatchHub(name, cfg.deliveryThreads(), cfg.watchQueueBound());
      Writer writer = new Writer(name, conn, meta.currentRev(), cfg.maxBatch(), hub::publish, times);
      Compactor compactor = new Compactor(writer, times, cfg, meta.compactRev(), meta.sweptRev());
      LOG.debugf("opened %s at revision %d (compacted %d)", cfg.dbFile(), meta.currentRev(), meta.compactRev());
      return new SqliteStorage(name, cfg, writer, pool, hub, compactor);
    } catch (SQLException | IOException e) {
      if (hub != null) {
        hub.close();
      }
      if (pool != null) {
        pool.close();
      }
      if (conn != null) {
        Schema.closeQuietly(conn);
      }
      throw new StorageUnavailableException("cannot open SQLite storage " + cfg.dbFile() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long currentRevision() {
    return writer.committedRevision();
  }

  @Override
  public long compactedRevision() {
    return compactor.compactedRevision();
  }

  @Override
  public Optional<KeyValue> get(String key, long atRevision) {
    Objects.requireNonNull(key, "key");
    return reads.get(key, atRevision);
  }

  @Override
  public ListResult list(String prefix, String startKey, long atRevision, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    return reads.list(prefix, startKey, atRevision, limit);
  }

  @Override
  public long count(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return reads.count(prefix);
  }

  @Override
  public KeyValue create(String key, byte[] value, long ttlSeconds) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(WriteOp.create(key, value, ttlSeconds));
  }

  @Override
  public KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return write(WriteOp.update(key, value, expectedModRevision, ttlSeconds));
  }

  @Override
  public KeyValue delete(String key, long expectedModRevision) {
    Objects.requireNonNull(key, "key");
    return write(WriteOp.delete(key, expectedModRevision));
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    if (closed.get()) {
      throw new StorageUnavailableException("storage is closed", null);
    }
    // Register first (live events are buffered), then read history: no gap, and start()
    // drops buffered events the history already holds.
    HubWatch w = hub.register(prefix, listener);
    try {
      Reads.Replay replay = reads.replay(prefix, afterRevision);
      w.start(replay.events(), replay.snapshotRev());
      return w;
    } catch (RuntimeException e) {
      hub.unregister(w);
      throw e;
    }
  }

  @Override
  public void compact(long revision) {
    if (closed.get()) {
      throw new StorageUnavailableException("storage is closed", null);
    }
    compactor.compact(revision);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    maintenance.shutdownNow();
    try {
      maintenance.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.shutdown();
    hub.close();
    pool.close();
    LOG.debugf("closed %s", cfg.dbFile());
  }

  /** The prefix of this store's thread names. */
  String threadNamePrefix() {
    return name;
  }

  /** Number of registered watches. */
  int watchCount() {
    return hub.size();
  }

  /** Number of threads the watch delivery pool may run now (tests). */
  int deliveryThreads() {
    return hub.deliveryThreads();
  }

  /** Test hook: the next write transaction fails before COMMIT. */
  void failNextCommit() {
    writer.failNextCommit();
  }

  /** Runs one TTL pass now (tests). */
  int expireNow() {
    return new TtlExpirer(reads, writer).expireNow();
  }

  private KeyValue write(WriteOp op) {
    CompletableFuture<Object> f = writer.submit(op);
    Object result;
    try {
      result = f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StorageException se
          ? se
          : new StorageUnavailableException("write failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while waiting for a write to commit", e);
    }
    if (result instanceof StorageException se) {
      throw se;
    }
    return (KeyValue) result;
  }

  private void guarded(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      if (!closed.get()) {
        LOG.warnf(e, "%s failed", what);
      }
    }
  }
}
