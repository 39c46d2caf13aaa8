package io.capstan.apiserver.storage.sqlite;

import static io.capstan.apiserver.storage.StorageTests.b;
import static io.capstan.apiserver.storage.StorageTests.race;
import static io.capstan.apiserver.storage.StorageTests.revs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.Recorder;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageContract;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.WatchClosedException;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The storage contract plus SQLite-only properties: durability, vacuum, group commit, watches. */
class SqliteStorageTest extends StorageContract {
  private final List<Path> dirs = new ArrayList<>();

  @Override
  protected Storage newStorage() throws IOException {
    return SqliteStorage.open(config(newDir()));
  }

  @Override
  protected void cleanup() throws IOException {
    for (Path dir : dirs) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private Path newDir() throws IOException {
    Path dir = Files.createTempDirectory("capstan-sqlite-test");
    dirs.add(dir);
    return dir;
  }

  static SqliteStorageConfig config(Path dir) {
    return SqliteStorageConfig.defaults(dir)
        .withTtlCheckInterval(Duration.ofMillis(100))
        .withCompaction(Duration.ZERO, Duration.ofMinutes(5), 1000);
  }

  private Path storeDir() {
    return dirs.get(0);
  }

  @Test
  void reopeningKeepsEveryKeyAndRevisionsContinue() throws Exception {
    Path dir = storeDir();
    List<KeyValue> written = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      KeyValue kv = store.create("/d/" + i, b("v" + i), i % 5 == 0 ? 3600 : 0);
      written.add(i % 2 == 0 ? store.update(kv.key(), b("u" + i), kv.modRevision(), 0) : kv);
    }
    store.delete("/d/1", 0);
    written.remove(1);
    store.compact(40);
    long rev = store.currentRevision();
    List<KeyValue> before = store.list("/d/", null, 0, 0).items();
    store.close();
    try (SqliteStorage reopened = SqliteStorage.open(config(dir))) {
      assertEquals(rev, reopened.currentRevision());
      assertEquals(40, reopened.compactedRevision());
      assertEquals(before, reopened.list("/d/", null, 0, 0).items());
      for (KeyValue kv : written) {
        assertEquals(kv, reopened.get(kv.key(), 0).orElseThrow());
      }
      Recorder rec = new Recorder();
      reopened.watch("/d/", 40, rec); // history survives the restart
      KeyValue next = reopened.create("/d/new", b("n"), 0);
      assertEquals(rev + 1, next.modRevision());
      assertEquals(next.modRevision() - 40, rec.awaitRevision(next.modRevision()).size());
    }
  }

  @Test
  void schemaUsesWalAndIncrementalVacuum() throws Exception {
    Path db = storeDir().resolve("capstan.db");
    try (Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + db, new Properties());
        Statement s = c.createStatement()) {
      assertEquals("wal", query(s, "PRAGMA journal_mode"));
      assertEquals("2", query(s, "PRAGMA auto_vacuum"));
    }
  }

  @Test
  void compactionAndIncrementalVacuumShrinkTheFile() throws Exception {
    Path db = storeDir().resolve("capstan.db");
    byte[] value = new byte[1024];
    for (int i = 0; i < 1500; i++) {
      value[0] = (byte) i;
      KeyValue kv = store.create("/v/" + i, value.clone(), 0);
      value[1] = 1;
      kv = store.update(kv.key(), value.clone(), kv.modRevision(), 0);
      store.delete(kv.key(), 0);
    }
    store.create("/v/survivor", b("s"), 0);
    long before = size(db);
    store.compact(store.currentRevision());
    long after = size(db);
    System.out.printf("db+wal before compaction %d bytes, after %d bytes%n", before, after);
    assertTrue(after < before / 4, "before " + before + ", after " + after);
    assertArrayEquals(b("s"), store.get("/v/survivor", 0).orElseThrow().value());
  }

  @Test
  void concurrentWritersAllSucceedWithDenseDistinctRevisions() throws Exception {
    long s0 = System.nanoTime();
    for (int i = 0; i < 500; i++) {
      store.create("/seq/" + i, b("x"), 0);
    }
    System.out.printf("sequential: 500 creates from 1 thread = %.0f writes/s%n", 500 / ((System.nanoTime() - s0) / 1e9));
    int threads = 16;
    int perThread = 150;
    long start = store.currentRevision();
    long t0 = System.nanoTime();
    List<Object> results = race(threads, id -> {
      List<Long> revs = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        revs.add(store.create("/g/" + id + "/" + i, b("x"), 0).modRevision());
      }
      return revs;
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("group commit: %d creates from %d threads in %.2f s = %.0f writes/s%n",
        threads * perThread, threads, seconds, threads * perThread / seconds);
    List<Long> all = new ArrayList<>();
    for (Object r : results) {
      assertInstanceOf(List.class, r, String.valueOf(r));
      ((List<?>) r).forEach(x -> all.add((Long) x));
    }
    all.sort(null);
    assertEquals(LongStream.rangeClosed(start + 1, start + threads * perThread).boxed().toList(), all);
    assertEquals(threads * perThread, store.count("/g/"));
  }

  @Test
  void failedCommitFailsTheBatchAndDoesNotAdvanceTheRevision() {
    KeyValue kv = store.create("/f/a", b("1"), 0);
    ((SqliteStorage) store).failNextCommit();
    assertThrows(StorageUnavailableException.class, () -> store.create("/f/b", b("1"), 0));
    assertEquals(kv.modRevision(), store.currentRevision());
    assertTrue(store.get("/f/b", 0).isEmpty());
    assertEquals(kv.modRevision() + 1, store.create("/f/b", b("1"), 0).modRevision());
  }

  @Test
  void aWatcherThatFallsBehindIsClosedWithoutBlockingWriters() throws Exception {
    store.close();
    try (SqliteStorage s = SqliteStorage.open(config(newDir()).withWatchQueueBound(10))) {
      CountDownLatch release = new CountDownLatch(1);
      Recorder closes = new Recorder();
      s.watch("/s/", 0, new WatchListener() {
        @Override
        public void onEvents(List<WatchEvent> events) {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }

        @Override
        public void onClose(StorageException cause) {
          closes.onClose(cause);
        }
      });
      Recorder fast = new Recorder();
      s.watch("/s/", 0, fast);
      for (int i = 0; i < 100; i++) {
        s.create("/s/" + i, b("x"), 0); // never blocked by the stuck listener
      }
      assertEquals(100, fast.awaitRevision(100).size());
      assertTrue(fast.closes().isEmpty(), String.valueOf(fast.closes()));
      awaitWatchCount(s, 1); // the stuck watch is dropped while its listener is still blocked
      release.countDown();
      assertInstanceOf(WatchClosedException.class, closes.awaitClose());
      assertEquals(1, s.watchCount());
    }
  }

  private static void awaitDeliveryThreads(SqliteStorage s, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (s.deliveryThreads() != n) {
      if (System.currentTimeMillis() > deadline) {
        fail("expected " + n + " delivery threads, have " + s.deliveryThreads());
      }
      Thread.sleep(10);
    }
  }

  private static void awaitWatchCount(SqliteStorage s, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (s.watchCount() != n) {
      if (System.currentTimeMillis() > deadline) {
        fail("expected " + n + " watches, have " + s.watchCount());
      }
      Thread.sleep(10);
    }
  }

  @Test
  void blockedListenersDoNotStopTheOtherWatches() throws Exception {
    store.close();
    // One delivery thread, two listeners that block: the other watch still gets every event, and
    // is not closed although events pile up while it waits for a thread.
    SqliteStorageConfig cfg = config(newDir()).withWatchQueueBound(10).withDeliveryThreads(1);
    try (SqliteStorage s = SqliteStorage.open(cfg)) {
      CountDownLatch release = new CountDownLatch(1);
      List<Recorder> stuckCloses = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Recorder closes = new Recorder();
        stuckCloses.add(closes);
        s.watch("/b/", 0, new WatchListener() {
          @Override
          public void onEvents(List<WatchEvent> events) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onClose(StorageException cause) {
            closes.onClose(cause);
          }
        });
      }
      Recorder fast = new Recorder();
      s.watch("/b/", 0, fast);
      for (int i = 0; i < 100; i++) {
        s.create("/b/" + i, b("x"), 0);
      }
      assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), revs(fast.awaitRevision(100)));
      awaitDeliveryThreads(s, 3); // one added per blocked listener
      for (int i = 100; i < 120; i++) {
        s.create("/b/" + i, b("x"), 0); // more than the bound behind each blocked call
      }
      assertEquals(LongStream.rangeClosed(1, 120).boxed().toList(), revs(fast.awaitRevision(120)));
      assertTrue(fast.closes().isEmpty(), String.valueOf(fast.closes()));
      awaitWatchCount(s, 1);
      release.countDown();
      for (Recorder closes : stuckCloses) {
        assertInstanceOf(WatchClosedException.class, closes.awaitClose());
      }
      assertEquals(1, s.watchCount());
      awaitDeliveryThreads(s, 1); // the added threads end once the calls returned
      s.create("/b/last", b("x"), 0);
      assertEquals(121, fast.awaitRevision(121).size());
    }
  }

  @Test
  void thousandsOfWatchesShareAFewThreads() throws Exception {
    int watches = 2000;
    List<Recorder> recs = new ArrayList<>();
    for (int i = 0; i < watches; i++) {
      Recorder rec = new Recorder();
      recs.add(rec);
      store.watch("/m/" + (i % 500) + "/", 0, rec);
    }
    String prefix = ((SqliteStorage) store).threadNamePrefix();
    long storeThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix + "-")).count();
    assertTrue(storeThreads < 20, storeThreads + " threads");
    for (int i = 0; i < 500; i++) {
      store.create("/m/" + i + "/k", b("x"), 0);
    }
    for (int i = 0; i < watches; i++) {
      List<WatchEvent> events = recs.get(i).awaitCount(1);
      assertEquals("/m/" + (i % 500) + "/k", events.get(0).kv().key());
    }
  }

  @Test
  void automaticCompactionKeepsTheConfiguredHistory() throws Exception {
    store.close();
    SqliteStorageConfig cfg = config(newDir()).withCompaction(Duration.ofMillis(50), Duration.ZERO, 10);
    try (SqliteStorage s = SqliteStorage.open(cfg)) {
      for (int i = 0; i < 40; i++) {
        s.create("/a/" + i, b("x"), 0);
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (s.compactedRevision() < 30 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(30, s.compactedRevision());
      assertEquals(30, s.list("/a/", null, 30, 0).items().size());
      assertThrows(CompactedException.class, () -> s.get("/a/0", 29));
    }
  }

  @Test
  void closeStopsEveryThread() throws Exception {
    String prefix = ((SqliteStorage) store).threadNamePrefix();
    store.watch("/", 0, new Recorder());
    store.create("/x", b("1"), 0);
    store.close();
    long deadline = System.currentTimeMillis() + 30_000;
    while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix + "-"))) {
      if (System.currentTimeMillis() > deadline) {
        fail("threads still running after close");
      }
      Thread.sleep(20);
    }
  }

  private static long size(Path db) throws IOException {
    Path wal = db.resolveSibling(db.getFileName() + "-wal");
    return Files.size(db) + (Files.exists(wal) ? Files.size(wal) : 0);
  }

  private static String query(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
