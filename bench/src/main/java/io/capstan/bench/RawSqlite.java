package io.capstan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Comparator;

/** The baseline: one 1 KiB row per transaction into SQLite, WAL, synchronous=FULL. */
final class RawSqlite {
  private RawSqlite() {}

  static double insertsPerSecond(Path dir, int rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"))) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB)");
      }
      c.setAutoCommit(false);
      byte[] value = new byte[1024];
      long start = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO kv (k, v) VALUES (?, ?)")) {
        for (int i = 0; i < rows; i++) {
          ps.setString(1, "/registry/configmaps/bench/k" + i);
          ps.setBytes(2, value);
          ps.executeUpdate();
          c.commit();
        }
      }
      return rows / ((System.nanoTime() - start) / 1e9);
    }
  }

  static void delete(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
