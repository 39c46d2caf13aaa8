package io.capstan.apiserver.storage.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Connections and tables.
 *
 * <pre>
 * log(rev PK, key, kind 0 create/1 update/2 delete, create_rev, prev_rev, ttl, value, prev_value, prev_ttl)
 *     UNIQUE(key, prev_rev)  -- kine's CAS guard, a safety net here
 *     INDEX(key, rev)
 * current(key PK, rev, create_rev, ttl, expires_at, value) WITHOUT ROWID  -- one row per live key
 * meta(name PK, value)  -- current_rev, compact_rev, compact_swept
 * </pre>
 *
 * {@code prev_ttl} (the TTL of the version an update or delete replaced) is an addition to the
 * design note's table so that replayed events carry exactly the prevKv a live event carries.
 */
final class Schema {
  static final int KIND_CREATE = 0;
  static final int KIND_UPDATE = 1;
  static final int KIND_DELETE = 2;

  static final String CURRENT_REV = "current_rev";
  static final String COMPACT_REV = "compact_rev";
  static final String COMPACT_SWEPT = "compact_swept";

  /** The persistent counters, read at start-up. */
  record Meta(long currentRev, long compactRev, long sweptRev) {}

  private Schema() {}

  /** Opens the writer connection, creating the database and its tables when needed. */
  static Connection openWriter(SqliteStorageConfig cfg) throws SQLException {
    Connection c = connect(cfg);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + cfg.busyTimeout().toMillis());
      // Only effective while the database has no table yet, hence before anything else.
      s.execute("PRAGMA auto_vacuum=INCREMENTAL");
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
        if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
          throw new SQLException("could not switch " + cfg.dbFile() + " to WAL mode");
        }
      }
      s.execute("PRAGMA synchronous=" + cfg.synchronous().name());
      s.execute("PRAGMA journal_size_limit=" + (64L << 20));
      s.execute("BEGIN IMMEDIATE");
      s.execute("CREATE TABLE IF NOT EXISTS log ("
          + "rev INTEGER PRIMARY KEY, key TEXT NOT NULL, kind INTEGER NOT NULL,"
          + " create_rev INTEGER NOT NULL, prev_rev INTEGER NOT NULL,"
          + " ttl INTEGER NOT NULL DEFAULT 0, value BLOB, prev_value BLOB,"
          + " prev_ttl INTEGER NOT NULL DEFAULT 0)");
      s.execute("CREATE UNIQUE INDEX IF NOT EXISTS log_key_prev ON log(key, prev_rev)");
      s.execute("CREATE INDEX IF NOT EXISTS log_key_rev ON log(key, rev)");
      s.execute("CREATE TABLE IF NOT EXISTS current ("
          + "key TEXT PRIMARY KEY, rev INTEGER NOT NULL, create_rev INTEGER NOT NULL,"
          + " ttl INTEGER NOT NULL, expires_at INTEGER NOT NULL, value BLOB NOT NULL) WITHOUT ROWID");
      s.execute("CREATE INDEX IF NOT EXISTS current_expires ON current(expires_at) WHERE expires_at > 0");
      s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
      for (String name : new String[] {CURRENT_REV, COMPACT_REV, COMPACT_SWEPT}) {
        s.execute("INSERT OR IGNORE INTO meta(name, value) VALUES ('" + name + "', 0)");
      }
      s.execute("COMMIT");
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  /** Opens a connection for reads only. */
  static Connection openReader(SqliteStorageConfig cfg) throws SQLException {
    Connection c = connect(cfg);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + cfg.busyTimeout().toMillis());
      s.execute("PRAGMA query_only=1");
    } catch (SQLException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  static Meta loadMeta(Connection c) throws SQLException {
    long current = 0;
    long compact = 0;
    long swept = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name, value FROM meta")) {
      while (rs.next()) {
        switch (rs.getString(1)) {
          case CURRENT_REV -> current = rs.getLong(2);
          case COMPACT_REV -> compact = rs.getLong(2);
          case COMPACT_SWEPT -> swept = rs.getLong(2);
          default -> { }
        }
      }
    }
    return new Meta(current, compact, swept);
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing more to do
    }
  }

  private static Connection connect(SqliteStorageConfig cfg) throws SQLException {
    Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + cfg.dbFile(), new Properties());
    if (c == null) {
      throw new SQLException("sqlite-jdbc refused the URL for " + cfg.dbFile());
    }
    return c;
  }
}
