package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.ConflictException;
import io.capstan.apiserver.storage.KeyExistsException;
import io.capstan.apiserver.storage.KeyNotFoundException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.WatchEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The only thread that writes. It drains up to {@code maxBatch} requests and runs them in one
 * {@code BEGIN IMMEDIATE ... COMMIT} (group commit): each gets its own compare-and-swap check
 * against the transaction's state and, when it writes, the next dense revision. After COMMIT it
 * advances {@link #committedRevision()}, hands the events to the watch hub in revision order and
 * completes the futures. When the transaction fails, every request of the batch fails with {@link
 * StorageUnavailableException} and the revision does not move.
 */
final class Writer {
  private static final Logger LOG = Logger.getLogger(Writer.class);

  /** A row of {@code current}. */
  private record Row(long rev, long createRev, long ttl, byte[] value) {
    KeyValue kv(String key) {
      return new KeyValue(key, value, createRev, rev, ttl);
    }
  }

  private final Connection conn;
  private final int maxBatch;
  private final Consumer<List<WatchEvent>> publisher;
  private final RevisionTimes times;
  private final LinkedBlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>();
  private final Object submitLock = new Object();
  private final Thread thread;
  private final PreparedStatement selCurrent;
  private final PreparedStatement selLastRev;
  private final PreparedStatement insLog;
  private final PreparedStatement putCurrent;
  private final PreparedStatement delCurrent;
  private final PreparedStatement setMeta;
  private boolean accepting = true;
  private volatile long committedRev;
  private volatile boolean failNextCommit;

  Writer(String name, Connection conn, long currentRev, int maxBatch,
      Consumer<List<WatchEvent>> publisher, RevisionTimes times) throws SQLException {
    this.conn = conn;
    this.committedRev = currentRev;
    this.maxBatch = maxBatch;
    this.publisher = publisher;
    this.times = times;
    selCurrent = conn.prepareStatement("SELECT rev, create_rev, ttl, value FROM current WHERE key = ?");
    selLastRev = conn.prepareStatement("SELECT MAX(rev) FROM log WHERE key = ?");
    insLog = conn.prepareStatement("INSERT INTO log(rev, key, kind, create_rev, prev_rev, ttl, value,"
        + " prev_value, prev_ttl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    putCurrent = conn.prepareStatement("INSERT OR REPLACE INTO current(key, rev, create_rev, ttl,"
        + " expires_at, value) VALUES (?, ?, ?, ?, ?, ?)");
    delCurrent = conn.prepareStatement("DELETE FROM current WHERE key = ?");
    setMeta = conn.prepareStatement("UPDATE meta SET value = ? WHERE name = ?");
    thread = Threads.daemon(name + "-writer", this::run);
    thread.start();
  }

  /** The revision of the last committed write. */
  long committedRevision() {
    return committedRev;
  }

  /** Queues {@code op}; its future completes once its transaction has committed or failed. */
  CompletableFuture<Object> submit(WriteOp op) {
    synchronized (submitLock) {
      if (!accepting) {
        throw new StorageUnavailableException("storage is closed", null);
      }
      queue.add(op);
    }
    return op.future;
  }

  /** Stops accepting, lets queued requests finish, stops the thread and closes the connection. */
  void shutdown() {
    synchronized (submitLock) {
      if (accepting) {
        accepting = false;
        queue.add(WriteOp.STOP);
      }
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Test hook: the next write transaction fails just before COMMIT. */
  void failNextCommit() {
    failNextCommit = true;
  }

  private void run() {
    List<WriteOp> batch = new ArrayList<>(maxBatch);
    boolean stop = false;
    while (!stop) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only shutdown() stops this thread, through STOP
      }
      queue.drainTo(batch, maxBatch - 1);
      int i = 0;
      while (i < batch.size()) {
        WriteOp op = batch.get(i);
        if (op.kind == WriteOp.Kind.STOP) {
          stop = true;
          i++;
        } else if (op.kind == WriteOp.Kind.TASK) {
          runTask(op);
          i++;
        } else {
          int j = i;
          while (j < batch.size() && batch.get(j).isKeyWrite()) {
            j++;
          }
          runWrites(batch.subList(i, j));
          i = j;
        }
      }
    }
    Schema.closeQuietly(conn);
  }

  private void runTask(WriteOp op) {
    try {
      op.future.complete(op.task.run(conn));
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      op.future.completeExceptionally(new StorageUnavailableException("storage task failed: " + e.getMessage(), e));
    }
  }

  private void runWrites(List<WriteOp> ops) {
    long rev = committedRev;
    long now = System.currentTimeMillis();
    List<WatchEvent> events = new ArrayList<>(ops.size());
    Object[] results = new Object[ops.size()];
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      for (int k = 0; k < ops.size(); k++) {
        int before = events.size();
        results[k] = apply(ops.get(k), rev + 1, now, events);
        if (events.size() > before) {
          rev++;
        }
      }
      if (rev != committedRev) {
        setMeta.setLong(1, rev);
        setMeta.setString(2, Schema.CURRENT_REV);
        setMeta.executeUpdate();
        if (failNextCommit) {
          failNextCommit = false;
          throw new SQLException("injected commit failure");
        }
        s.execute("COMMIT");
      } else {
        s.execute("ROLLBACK");
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warnf(e, "write transaction of %d requests failed", ops.size());
      rollbackQuietly();
      StorageUnavailableException failure =
          new StorageUnavailableException("write transaction failed: " + e.getMessage(), e);
      for (WriteOp op : ops) {
        op.future.completeExceptionally(failure);
      }
      return;
    }
    if (rev != committedRev) {
      committedRev = rev;
      times.record(rev, now);
      publisher.accept(events);
    }
    for (int k = 0; k < ops.size(); k++) {
      ops.get(k).future.complete(results[k]);
    }
  }

  /** Applies one request inside the open transaction; appends its event when it wrote. */
  private Object apply(WriteOp op, long rev, long now, List<WatchEvent> events) throws SQLException {
    String key = op.key;
    Row cur = current(key);
    switch (op.kind) {
      case CREATE -> {
        if (cur != null) {
          return new KeyExistsException(cur.kv(key));
        }
        insertLog(rev, key, Schema.KIND_CREATE, rev, lastRev(key), op.ttlSeconds, op.value, null, 0);
        putCurrent(key, rev, rev, op.ttlSeconds, op.value, now);
        KeyValue kv = new KeyValue(key, op.value, rev, rev, op.ttlSeconds);
        events.add(new WatchEvent(WatchEvent.Type.PUT, kv, null));
        return kv;
      }
      case UPDATE -> {
        if (cur == null) {
          return new KeyNotFoundException(key);
        }
        if (cur.rev != op.expected) {
          return new ConflictException(key, op.expected, cur.kv(key));
        }
        if (Arrays.equals(cur.value, op.value)) {
          return cur.kv(key); // no-op: nothing written, no revision, no event
        }
        insertLog(rev, key, Schema.KIND_UPDATE, cur.createRev, cur.rev, op.ttlSeconds, op.value, cur.value, cur.ttl);
        putCurrent(key, rev, cur.createRev, op.ttlSeconds, op.value, now);
        KeyValue kv = new KeyValue(key, op.value, cur.createRev, rev, op.ttlSeconds);
        events.add(new WatchEvent(WatchEvent.Type.PUT, kv, cur.kv(key)));
        return kv;
      }
      default -> {
        boolean expire = op.kind == WriteOp.Kind.EXPIRE;
        if (cur == null) {
          return expire ? null : new KeyNotFoundException(key);
        }
        if (expire ? cur.rev != op.expected : op.expected != 0 && cur.rev != op.expected) {
          return expire ? null : new ConflictException(key, op.expected, cur.kv(key));
        }
        insertLog(rev, key, Schema.KIND_DELETE, cur.createRev, cur.rev, 0, null, cur.value, cur.ttl);
        delCurrent.setString(1, key);
        delCurrent.executeUpdate();
        events.add(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, null, 0, rev, 0), cur.kv(key)));
        return new KeyValue(key, cur.value, cur.createRev, rev, cur.ttl);
      }
    }
  }

  private Row current(String key) throws SQLException {
    selCurrent.setString(1, key);
    try (ResultSet rs = selCurrent.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      byte[] value = rs.getBytes(4);
      return new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), value == null ? new byte[0] : value);
    }
  }

  /** The newest log row of the key (its tombstone when it was deleted), 0 when none is left. */
  private long lastRev(String key) throws SQLException {
    selLastRev.setString(1, key);
    try (ResultSet rs = selLastRev.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private void insertLog(long rev, String key, int kind, long createRev, long prevRev, long ttl,
      byte[] value, byte[] prevValue, long prevTtl) throws SQLException {
    insLog.setLong(1, rev);
    insLog.setString(2, key);
    insLog.setInt(3, kind);
    insLog.setLong(4, createRev);
    insLog.setLong(5, prevRev);
    insLog.setLong(6, ttl);
    insLog.setBytes(7, value);
    insLog.setBytes(8, prevValue);
    insLog.setLong(9, prevTtl);
    insLog.executeUpdate();
  }

  private void putCurrent(String key, long rev, long createRev, long ttl, byte[] value, long now)
      throws SQLException {
    putCurrent.setString(1, key);
    putCurrent.setLong(2, rev);
    putCurrent.setLong(3, createRev);
    putCurrent.setLong(4, ttl);
    putCurrent.setLong(5, ttl > 0 ? now + ttl * 1000 : 0);
    putCurrent.setBytes(6, value);
    putCurrent.executeUpdate();
  }

  private void rollbackQuietly() {
    try (Statement s = conn.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction was open
    }
  }
}
