package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A fixed pool of read-only connections. Each {@link #read} runs in one read transaction, so that
 * everything it reads (data and the revision header) comes from the same snapshot. WAL mode lets
 * these run while the writer commits.
 */
final class ReadPool implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ReadPool.class);

  /** A connection with its prepared statements. Used by one thread at a time. */
  static final class Conn {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Conn(Connection connection) {
      this.connection = connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    private void exec(String sql) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute(sql);
      }
    }
  }

  /** A read running inside one read transaction. */
  interface ReadFn<T> {
    T apply(Conn c) throws SQLException;
  }

  private final SqliteStorageConfig cfg;
  private final ArrayBlockingQueue<Conn> idle;
  private final List<Conn> all = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  ReadPool(SqliteStorageConfig cfg) throws SQLException {
    this.cfg = cfg;
    idle = new ArrayBlockingQueue<>(cfg.readPoolSize());
    try {
      for (int i = 0; i < cfg.readPoolSize(); i++) {
        Conn c = new Conn(Schema.openReader(cfg));
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  <T> T read(ReadFn<T> fn) {
    Conn c = borrow();
    boolean healthy = true;
    try {
      c.exec("BEGIN");
      return fn.apply(c);
    } catch (SQLException e) {
      throw new StorageUnavailableException("read failed: " + e.getMessage(), e);
    } finally {
      try {
        c.exec("COMMIT");
      } catch (SQLException e) {
        healthy = false;
      }
      if (healthy) {
        idle.add(c);
      } else {
        replace(c);
      }
    }
  }

  private Conn borrow() {
    if (closed) {
      throw new StorageUnavailableException("storage is closed", null);
    }
    try {
      Conn c = idle.take();
      if (closed) {
        idle.add(c);
        throw new StorageUnavailableException("storage is closed", null);
      }
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while waiting for a read connection", e);
    }
  }

  private void replace(Conn broken) {
    // A COMMIT that fails leaves the connection in an unknown state: roll back or drop it.
    try {
      broken.exec("ROLLBACK");
      idle.add(broken);
    } catch (SQLException e) {
      all.remove(broken);
      Schema.closeQuietly(broken.connection);
      try {
        Conn fresh = new Conn(Schema.openReader(cfg));
        all.add(fresh);
        idle.add(fresh);
      } catch (SQLException again) {
        LOG.errorf(again, "cannot reopen a read connection to %s", cfg.dbFile());
      }
    }
  }

  /** Closes all connections, waiting briefly for reads in flight. */
  @Override
  public void close() {
    closed = true;
    try {
      for (int i = 0; i < all.size(); i++) {
        if (idle.poll(10, TimeUnit.SECONDS) == null) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Conn c : all) {
      Schema.closeQuietly(c.connection);
    }
    all.clear();
  }
}
