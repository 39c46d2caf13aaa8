package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.FutureRevisionException;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Forgets history. {@link #compact(long)} first records the new compacted revision T in {@code
 * meta} (from then on reads below T fail), then deletes, in short transactions run by the writer
 * thread between write batches, the log rows no read at or above T can need: rows superseded by a
 * row at or below T, and tombstones below T (a tombstone at T itself is kept so that a watch from
 * T-1 still sees that DELETE). Progress is kept in {@code meta.compact_swept}, so a sweep
 * interrupted by a crash resumes. Finally the free pages go back to the file system ({@code
 * incremental_vacuum}) and the WAL is checkpointed.
 */
final class Compactor {
  private static final Logger LOG = Logger.getLogger(Compactor.class);

  private final Writer writer;
  private final RevisionTimes times;
  private final SqliteStorageConfig cfg;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile long compactRev;
  private long sweptRev;

  Compactor(Writer writer, RevisionTimes times, SqliteStorageConfig cfg, long compactRev, long sweptRev) {
    this.writer = writer;
    this.times = times;
    this.cfg = cfg;
    this.compactRev = compactRev;
    this.sweptRev = sweptRev;
  }

  long compactedRevision() {
    return compactRev;
  }

  /** Periodic compaction: keeps {@code retainAge} and {@code retainRevisions} of history. */
  void compactByRetention() {
    long byAge = times.newestAtOrBefore(System.currentTimeMillis() - cfg.retainAge().toMillis());
    long byCount = writer.committedRevision() - cfg.retainRevisions();
    long target = Math.min(byAge, byCount);
    if (target > compactRev || sweptRev < compactRev) {
      compact(Math.max(target, compactRev));
    }
  }

  /** Compacts at {@code rev}: reads below it fail afterwards, {@code rev} stays readable. */
  void compact(long rev) {
    lock.lock();
    try {
      long current = writer.committedRevision();
      if (rev > current) {
        throw new FutureRevisionException(rev, current);
      }
      if (rev > compactRev) {
        call(c -> {
          try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("UPDATE meta SET value = " + rev + " WHERE name = '" + Schema.COMPACT_REV + "'");
            s.execute("COMMIT");
          }
          return null;
        });
        compactRev = rev;
        times.forgetUpTo(rev);
      }
      if (sweptRev >= compactRev) {
        return;
      }
      long target = compactRev;
      long deleted = 0;
      while (sweptRev < target) {
        long lo = sweptRev;
        long hi = Math.min(target, lo + cfg.compactBatchRevisions());
        deleted += (Long) call(c -> sweep(c, lo, hi, target));
        sweptRev = hi;
      }
      call(this::reclaim);
      LOG.debugf("compacted at revision %d: %d log rows deleted", target, deleted);
    } finally {
      lock.unlock();
    }
  }

  /** One short transaction: deletes what revisions (lo, hi] made obsolete. */
  private static Long sweep(Connection c, long lo, long hi, long target) throws SQLException {
    long n = 0;
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try (PreparedStatement superseded = c.prepareStatement("DELETE FROM log WHERE rev IN"
              + " (SELECT prev_rev FROM log WHERE rev > ? AND rev <= ? AND prev_rev != 0)");
          PreparedStatement tombstones = c.prepareStatement("DELETE FROM log WHERE rev >= ?"
              + " AND rev <= ? AND rev < ? AND kind = " + Schema.KIND_DELETE);
          PreparedStatement swept = c.prepareStatement("UPDATE meta SET value = ? WHERE name = ?")) {
        superseded.setLong(1, lo);
        superseded.setLong(2, hi);
        n += superseded.executeUpdate();
        tombstones.setLong(1, lo);
        tombstones.setLong(2, hi);
        tombstones.setLong(3, target);
        n += tombstones.executeUpdate();
        swept.setLong(1, hi);
        swept.setString(2, Schema.COMPACT_SWEPT);
        swept.executeUpdate();
      }
      s.execute("COMMIT");
    }
    return n;
  }

  /** Returns free pages to the file system and checkpoints the WAL (truncating it if possible). */
  private Object reclaim(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      // incremental_vacuum frees one page per step; sqlite-jdbc's execute() steps once, while
      // executeUpdate() steps to the end.
      s.executeUpdate("PRAGMA incremental_vacuum(" + cfg.vacuumPages() + ")");
      try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        if (rs.next() && rs.getInt(1) != 0) {
          LOG.debug("WAL checkpoint after compaction was blocked by readers; the next one will catch up");
        }
      }
    }
    return null;
  }

  private Object call(WriteOp.Task task) {
    CompletableFuture<Object> f = writer.submit(WriteOp.task(task));
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StorageException se
          ? se
          : new StorageUnavailableException("compaction failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted during compaction", e);
    }
  }
}
