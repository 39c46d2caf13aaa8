package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.FutureRevisionException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.WatchEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queries. Latest reads use {@code current}; reads at an older revision use the newest
 * {@code log} row of each key at or below it (skipping tombstones). Every read checks the
 * requested revision against {@code meta} in the same snapshot as its data.
 */
final class Reads {
  /** The revision counters as seen by one read transaction. */
  private record Snapshot(long currentRev, long compactRev) {}

  /** A watch's history: the events after its start revision, up to the snapshot's revision. */
  record Replay(List<WatchEvent> events, long snapshotRev) {}

  /** A live key whose TTL ran out. */
  record Expired(String key, long rev) {}

  private static final String LOG_COLUMNS =
      "rev, key, kind, create_rev, prev_rev, ttl, value, prev_value, prev_ttl";

  private final ReadPool pool;

  Reads(ReadPool pool) {
    this.pool = pool;
  }

  Optional<KeyValue> get(String key, long atRev) {
    return pool.read(c -> {
      Snapshot snap = snapshot(c, atRev);
      boolean latest = atRev == 0 || atRev == snap.currentRev;
      PreparedStatement ps = c.prepare(latest
          ? "SELECT key, rev, create_rev, ttl, value FROM current WHERE key = ?"
          : "SELECT key, rev, create_rev, ttl, value, kind FROM log WHERE key = ? AND rev <= ?"
              + " ORDER BY rev DESC LIMIT 1");
      ps.setString(1, key);
      if (!latest) {
        ps.setLong(2, atRev);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || (!latest && rs.getInt(6) == Schema.KIND_DELETE)) {
          return Optional.empty();
        }
        return Optional.of(kv(rs));
      }
    });
  }

  ListResult list(String prefix, String startKey, long atRev, int limit) {
    String from = Keys.rangeStart(prefix, startKey);
    String end = Keys.prefixEnd(prefix);
    return pool.read(c -> {
      Snapshot snap = snapshot(c, atRev);
      long rev = atRev == 0 ? snap.currentRev : atRev;
      boolean latest = rev == snap.currentRev;
      String range = end == null ? "key >= ?" : "key >= ? AND key < ?";
      String source = latest
          ? "SELECT key, rev, create_rev, ttl, value FROM current WHERE " + range
          : "SELECT key, rev, create_rev, ttl, value FROM (SELECT key, MAX(rev) AS rev, create_rev,"
              + " ttl, value, kind FROM log WHERE " + range + " AND rev <= ? GROUP BY key)"
              + " WHERE kind != " + Schema.KIND_DELETE;
      PreparedStatement ps = c.prepare(source + " ORDER BY key" + (limit > 0 ? " LIMIT ?" : ""));
      int next = bindRange(ps, from, end, latest ? 0 : rev);
      if (limit > 0) {
        ps.setLong(next, limit + 1L);
      }
      List<KeyValue> items = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(kv(rs));
        }
      }
      if (limit <= 0 || items.size() <= limit) {
        return new ListResult(items, rev, false, 0);
      }
      items.remove(items.size() - 1);
      PreparedStatement count = c.prepare("SELECT COUNT(*) FROM (" + source + ")");
      bindRange(count, from, end, latest ? 0 : rev);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return new ListResult(items, rev, true, rs.getLong(1) - limit);
      }
    });
  }

  long count(String prefix) {
    String end = Keys.prefixEnd(prefix);
    return pool.read(c -> {
      PreparedStatement ps = c.prepare("SELECT COUNT(*) FROM current WHERE "
          + (end == null ? "key >= ?" : "key >= ? AND key < ?"));
      bindRange(ps, prefix, end, 0);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Events with revision {@code > afterRev} under {@code prefix}, in revision order. */
  Replay replay(String prefix, long afterRev) {
    String end = Keys.prefixEnd(prefix);
    return pool.read(c -> {
      Snapshot snap = snapshot(c, 0);
      if (afterRev > snap.currentRev) {
        throw new FutureRevisionException(afterRev, snap.currentRev);
      }
      if (afterRev + 1 < snap.compactRev) {
        throw new CompactedException(afterRev + 1, snap.compactRev);
      }
      List<WatchEvent> events = new ArrayList<>();
      if (afterRev < snap.currentRev) {
        PreparedStatement ps = c.prepare("SELECT " + LOG_COLUMNS + " FROM log WHERE rev > ? AND "
            + (end == null ? "key >= ?" : "key >= ? AND key < ?") + " ORDER BY rev");
        ps.setLong(1, afterRev);
        ps.setString(2, prefix);
        if (end != null) {
          ps.setString(3, end);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            events.add(event(rs));
          }
        }
      }
      return new Replay(events, snap.currentRev);
    });
  }

  /** Live keys whose TTL ran out by {@code nowMillis}, oldest first. */
  List<Expired> expired(long nowMillis, int max) {
    return pool.read(c -> {
      PreparedStatement ps = c.prepare("SELECT key, rev FROM current WHERE expires_at > 0"
          + " AND expires_at <= ? ORDER BY expires_at LIMIT ?");
      ps.setLong(1, nowMillis);
      ps.setInt(2, max);
      List<Expired> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Expired(rs.getString(1), rs.getLong(2)));
        }
      }
      return out;
    });
  }

  private static Snapshot snapshot(ReadPool.Conn c, long atRev) throws SQLException {
    long current = 0;
    long compact = 0;
    try (ResultSet rs = c.prepare("SELECT name, value FROM meta").executeQuery()) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (Schema.CURRENT_REV.equals(name)) {
          current = rs.getLong(2);
        } else if (Schema.COMPACT_REV.equals(name)) {
          compact = rs.getLong(2);
        }
      }
    }
    if (atRev != 0 && atRev < compact) {
      throw new CompactedException(atRev, compact);
    }
    if (atRev > current) {
      throw new FutureRevisionException(atRev, current);
    }
    return new Snapshot(current, compact);
  }

  private static int bindRange(PreparedStatement ps, String from, String end, long rev)
      throws SQLException {
    int i = 1;
    ps.setString(i++, from);
    if (end != null) {
      ps.setString(i++, end);
    }
    if (rev > 0) {
      ps.setLong(i++, rev);
    }
    return i;
  }

  /** Columns key, rev, create_rev, ttl, value. */
  private static KeyValue kv(ResultSet rs) throws SQLException {
    return new KeyValue(rs.getString(1), bytes(rs.getBytes(5)), rs.getLong(3), rs.getLong(2), rs.getLong(4));
  }

  /** Columns of {@link #LOG_COLUMNS}. */
  static WatchEvent event(ResultSet rs) throws SQLException {
    long rev = rs.getLong(1);
    String key = rs.getString(2);
    int kind = rs.getInt(3);
    long createRev = rs.getLong(4);
    long prevRev = rs.getLong(5);
    KeyValue prev = kind == Schema.KIND_CREATE
        ? null
        : new KeyValue(key, bytes(rs.getBytes(8)), createRev, prevRev, rs.getLong(9));
    if (kind == Schema.KIND_DELETE) {
      return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, null, 0, rev, 0), prev);
    }
    KeyValue kv = new KeyValue(key, bytes(rs.getBytes(7)), createRev, rev, rs.getLong(6));
    return new WatchEvent(WatchEvent.Type.PUT, kv, prev);
  }

  private static byte[] bytes(byte[] b) {
    return b == null ? new byte[0] : b;
  }
}
