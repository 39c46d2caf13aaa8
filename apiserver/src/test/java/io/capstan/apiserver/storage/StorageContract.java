package io.capstan.apiserver.storage;

import static io.capstan.apiserver.storage.StorageTests.applyEvents;
import static io.capstan.apiserver.storage.StorageTests.b;
import static io.capstan.apiserver.storage.StorageTests.keys;
import static io.capstan.apiserver.storage.StorageTests.only;
import static io.capstan.apiserver.storage.StorageTests.page;
import static io.capstan.apiserver.storage.StorageTests.race;
import static io.capstan.apiserver.storage.StorageTests.raceQuietly;
import static io.capstan.apiserver.storage.StorageTests.revs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invariants every {@link Storage} backend must keep. Subclasses provide the store. */
public abstract class StorageContract {
  protected Storage store;

  /** A new, empty store; TTL expiry must be checked at least every second. */
  protected abstract Storage newStorage() throws Exception;

  /** Called after each test, once the store is closed (delete files here). */
  protected void cleanup() throws Exception {}

  /**
   * The revision of the new store before any write: 0 for a store of its own; a shared backend
   * (one etcd for several tests) gives its revision when the test started.
   */
  protected long initialRevision() {
    return 0;
  }

  /** The revision of the {@code n}th write of this test. */
  protected final long r(long n) {
    return base + n;
  }

  private long base;

  @BeforeEach
  void openStore() throws Exception {
    store = newStorage();
    base = initialRevision();
  }

  @AfterEach
  void closeStore() throws Exception {
    try {
      store.close();
    } finally {
      cleanup();
    }
  }

  @Test
  void createGetListCountAndByteOrder() {
    assertEquals(r(0), store.currentRevision());
    KeyValue a = store.create("/o/a", b("1"), 0);
    assertEquals(new KeyValue("/o/a", b("1"), r(1), r(1), 0), a);
    assertEquals(r(1), store.currentRevision());
    for (String k : new String[] {"/o/b0", "/o/A", "/o/a/b", "/o/a0", "/o", "/o0/x", "/n/z"}) {
      store.create(k, b(k), 0);
    }
    assertEquals(a, store.get("/o/a", 0).orElseThrow());
    assertTrue(store.get("/o/missing", 0).isEmpty());
    ListResult l = store.list("/o/", null, 0, 0);
    assertEquals(List.of("/o/A", "/o/a", "/o/a/b", "/o/a0", "/o/b0"), keys(l.items()));
    assertEquals(r(8), l.revision());
    assertFalse(l.more());
    assertEquals(5, store.count("/o/"));
    assertEquals(8, store.count(""));
    assertEquals(List.of("/o/a0", "/o/b0"), keys(store.list("/o/", "/o/a/c", 0, 0).items()));
    assertEquals(5, store.list("/o/", "/a", 0, 0).items().size()); // startKey before prefix
    KeyValue empty = store.create("/o/empty", new byte[0], 0);
    assertArrayEquals(new byte[0], store.get("/o/empty", 0).orElseThrow().value());
    assertEquals(empty, store.update("/o/empty", new byte[0], empty.modRevision(), 0));
  }

  @Test
  void createAndUpdateAreConditional() {
    KeyValue v1 = store.create("/k", b("1"), 0);
    assertEquals(v1, assertThrows(KeyExistsException.class, () -> store.create("/k", b("w"), 0)).current());
    store.create("/other", b("x"), 0);
    KeyValue v2 = store.update("/k", b("2"), v1.modRevision(), 0);
    assertEquals(r(3), v2.modRevision());
    assertEquals(v1.createRevision(), v2.createRevision());
    assertEquals(v2, assertThrows(ConflictException.class,
        () -> store.update("/k", b("3"), v1.modRevision(), 0)).current());
    assertThrows(KeyNotFoundException.class, () -> store.update("/nope", b("3"), 1, 0));
    assertEquals(r(3), store.currentRevision());
    assertEquals(v2, store.get("/k", 0).orElseThrow());
  }

  @Test
  void deleteIsCompareAndSwapAndReturnsDeletedVersion() {
    KeyValue v1 = store.create("/k", b("1"), 0);
    KeyValue v2 = store.update("/k", b("2"), v1.modRevision(), 0);
    ConflictException e = assertThrows(ConflictException.class, () -> store.delete("/k", v1.modRevision()));
    assertEquals(v2, e.current());
    KeyValue d = store.delete("/k", v2.modRevision());
    assertEquals(new KeyValue("/k", b("2"), r(1), r(3), 0), d);
    assertTrue(store.get("/k", 0).isEmpty());
    assertThrows(KeyNotFoundException.class, () -> store.delete("/k", 0));
    assertThrows(KeyNotFoundException.class, () -> store.delete("/never", 0));
    KeyValue again = store.create("/k", b("3"), 0);
    assertEquals(r(4), again.createRevision());
    assertEquals(r(5), store.delete("/k", 0).modRevision()); // 0: unconditional
  }

  @Test
  void exactlyOneOfConcurrentCasWritersWins() throws Exception {
    for (int round = 0; round < 25; round++) {
      String key = "/cas/" + round;
      KeyValue base = store.create(key, b("base"), 0);
      List<Object> results = race(8, i -> store.update(key, b("w" + i), base.modRevision(), 0));
      List<KeyValue> wins = only(results, KeyValue.class);
      assertEquals(1, wins.size(), "round " + round + ": " + results);
      assertEquals(7, only(results, ConflictException.class).size(), results.toString());
      only(results, ConflictException.class).forEach(e -> assertEquals(wins.get(0), e.current()));
      assertEquals(wins.get(0), store.get(key, 0).orElseThrow());
    }
    List<Object> creates = race(8, i -> store.create("/cas/new", b("c" + i), 0));
    assertEquals(1, only(creates, KeyValue.class).size());
    assertEquals(7, only(creates, KeyExistsException.class).size());
  }

  @Test
  void readsAtAnOlderOrFutureRevision() {
    KeyValue a = store.create("/r/a", b("a1"), 0);
    KeyValue b1 = store.create("/r/b", b("b1"), 0);
    KeyValue c = store.create("/r/c", b("c1"), 0);
    long r = store.currentRevision();
    store.update("/r/b", b("b2"), b1.modRevision(), 0);
    store.delete("/r/c", 0);
    store.create("/r/d", b("d1"), 0);
    ListResult old = store.list("/r/", null, r, 0);
    assertEquals(List.of(a, b1, c), old.items());
    assertEquals(r, old.revision());
    assertEquals(b1, store.get("/r/b", r).orElseThrow());
    assertEquals(c, store.get("/r/c", r).orElseThrow());
    assertTrue(store.get("/r/d", r).isEmpty());
    assertTrue(store.get("/r/c", 0).isEmpty());
    assertEquals(List.of("/r/a", "/r/b", "/r/d"), keys(store.list("/r/", null, 0, 0).items()));
    long next = store.currentRevision() + 1;
    assertThrows(FutureRevisionException.class, () -> store.get("/r/a", next));
    assertThrows(FutureRevisionException.class, () -> store.list("/r/", null, next, 0));
    assertThrows(FutureRevisionException.class, () -> store.watch("/r/", next, new Recorder()));
    assertEquals(next - 1, assertThrows(FutureRevisionException.class, () -> store.compact(next)).currentRevision());
  }

  @Test
  void limitMoreAndRemaining() {
    for (int i = 0; i < 10; i++) {
      store.create("/l/k" + i, b("" + i), 0);
    }
    assertEquals("[/l/k0, /l/k1, /l/k2] more=true remaining=7", page(store.list("/l/", null, 0, 3)));
    assertEquals("[/l/k7, /l/k8] more=true remaining=1", page(store.list("/l/", "/l/k7", 0, 2)));
    assertEquals("[/l/k8, /l/k9] more=false remaining=0", page(store.list("/l/", "/l/k8", 0, 2)));
    assertEquals(10, store.list("/l/", null, 0, 10).items().size());
    assertFalse(store.list("/l/", null, 0, 10).more());
  }

  @Test
  void pagesStayAtTheFirstPagesRevisionWhileWritesHappen() {
    for (int i = 0; i < 10; i++) {
      store.create("/p/k" + i, b("v" + i), 0);
    }
    List<KeyValue> expected = store.list("/p/", null, 0, 0).items();
    ListResult first = store.list("/p/", null, 0, 4);
    long rev = first.revision();
    List<KeyValue> seen = new ArrayList<>(first.items());
    store.update("/p/k5", b("changed"), store.get("/p/k5", 0).orElseThrow().modRevision(), 0);
    store.delete("/p/k6", 0);
    store.delete("/p/k1", 0);
    store.create("/p/k55", b("new"), 0);
    store.create("/p/k99", b("new"), 0);
    ListResult page = first;
    while (page.more()) {
      String start = page.items().get(page.items().size() - 1).key() + "\0";
      page = store.list("/p/", start, rev, 4);
      assertEquals(rev, page.revision());
      seen.addAll(page.items());
      assertEquals(expected.size() - seen.size(), page.remaining());
    }
    assertEquals(expected, seen);
    assertEquals(10, store.count("/p/"));
  }

  @Test
  void listHeaderRevisionCoversEveryItemDuringWrites() throws Exception {
    CompletableFuture<List<Object>> writers = CompletableFuture.supplyAsync(() -> raceQuietly(3, id -> {
      for (int i = 0; i < 60; i++) {
        KeyValue kv = store.create("/h/" + id + "-" + i, b("x"), 0);
        store.update(kv.key(), b("y"), kv.modRevision(), 0);
      }
      return null;
    }));
    do {
      long before = store.currentRevision();
      ListResult l = store.list("/h/", null, 0, 0);
      assertTrue(l.revision() >= before);
      l.items().forEach(kv -> assertTrue(kv.modRevision() <= l.revision(), kv + " newer than " + l.revision()));
    } while (!writers.isDone());
    assertEquals(Arrays.asList(null, null, null), writers.get());
    assertEquals(r(360), store.currentRevision());
  }

  @Test
  void watchFromListRevisionSeesEveryLaterChangeOnceInOrder() throws Exception {
    ConcurrentLinkedQueue<Long> watchedRevs = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(40);
    CountDownLatch watching = new CountDownLatch(1);
    CompletableFuture<List<Object>> writers = CompletableFuture.supplyAsync(() -> raceQuietly(4, id -> {
      for (int i = 0; i < 60; i++) {
        if (i == 30) {
          awaitLatch(watching); // half the writes land after the watch starts, however fast the store
        }
        KeyValue kv = store.create("/w/" + id + "/" + i, b("c"), 0);
        store.create("/x/" + id + "/" + i, b("noise"), 0);
        KeyValue up = store.update(kv.key(), b("u"), kv.modRevision(), 0);
        watchedRevs.addAll(List.of(kv.modRevision(), up.modRevision()));
        if (i % 3 == 0) {
          watchedRevs.add(store.delete(kv.key(), up.modRevision()).modRevision());
        }
        started.countDown();
      }
      return null;
    }));
    started.await();
    ListResult l = store.list("/w/", null, 0, 0);
    Recorder rec = new Recorder();
    store.watch("/w/", l.revision(), rec);
    watching.countDown();
    assertEquals(Arrays.asList(null, null, null, null), writers.get());
    List<Long> expected = watchedRevs.stream().filter(r -> r > l.revision()).sorted().toList();
    List<WatchEvent> events = rec.awaitRevision(expected.get(expected.size() - 1));
    assertEquals(expected, revs(events));
    assertEquals(store.list("/w/", null, 0, 0).items(), applyEvents(l.items(), events));
  }

  @Test
  void watchReplaysHistoryThenGoesLiveWithoutDuplicateOrGap() {
    KeyValue a1 = store.create("/r/a", b("1"), 0);
    KeyValue a2 = store.update("/r/a", b("2"), a1.modRevision(), 0);
    store.create("/s/other", b("x"), 0);
    KeyValue bb = store.create("/r/b", b("1"), 0);
    KeyValue ad = store.delete("/r/a", 0);
    Recorder rec = new Recorder();
    store.watch("/r/", a1.modRevision(), rec);
    KeyValue c = store.create("/r/c", b("1"), 0);
    store.create("/s/more", b("x"), 0);
    KeyValue b2 = store.update("/r/b", b("2"), bb.modRevision(), 0);
    assertEquals(List.of(a2.modRevision(), bb.modRevision(), ad.modRevision(), c.modRevision(), b2.modRevision()),
        revs(rec.awaitRevision(b2.modRevision())));
    assertEquals(new WatchEvent(WatchEvent.Type.PUT, a2, a1), rec.events().get(0));
  }

  @Test
  void eventsCarryPrevKvAndDeleteRevision() {
    Recorder live = new Recorder();
    store.watch("/e/", 0, live);
    KeyValue v1 = store.create("/e/k", b("1"), 0);
    KeyValue v2 = store.update("/e/k", b("2"), v1.modRevision(), 0);
    KeyValue d = store.delete("/e/k", v2.modRevision());
    Recorder replayed = new Recorder();
    store.watch("/e/", 0, replayed);
    // as etcd: the DELETE's kv has the key and the delete revision only
    KeyValue tombstone = new KeyValue("/e/k", null, 0, d.modRevision(), 0);
    List<WatchEvent> expected = List.of(new WatchEvent(WatchEvent.Type.PUT, v1, null),
        new WatchEvent(WatchEvent.Type.PUT, v2, v1), new WatchEvent(WatchEvent.Type.DELETE, tombstone, v2));
    assertEquals(expected, live.awaitRevision(d.modRevision()));
    assertEquals(expected, replayed.awaitRevision(d.modRevision()));
  }

  @Test
  void identicalUpdateWritesNothingAndEmitsNoEvent() {
    KeyValue v1 = store.create("/n/k", b("same"), 0);
    Recorder rec = new Recorder();
    store.watch("/n/", store.currentRevision(), rec);
    assertEquals(v1, store.update("/n/k", b("same"), v1.modRevision(), 0));
    assertEquals(v1.modRevision(), store.currentRevision());
    assertEquals(v1, store.get("/n/k", 0).orElseThrow());
    assertThrows(ConflictException.class, () -> store.update("/n/k", b("same"), v1.modRevision() - 1, 0));
    KeyValue other = store.create("/n/other", b("x"), 0);
    assertEquals(v1.modRevision() + 1, other.modRevision());
    List<WatchEvent> events = rec.awaitRevision(other.modRevision());
    assertEquals(1, events.size(), events.toString());
  }

  @Test
  void compactionForgetsOldRevisionsButKeepsLiveKeys() {
    KeyValue live = store.create("/c/live", b("l"), 0);
    KeyValue x1 = store.create("/c/x", b("1"), 0);
    KeyValue x2 = store.update("/c/x", b("2"), x1.modRevision(), 0);
    store.create("/c/gone", b("g"), 0);
    KeyValue x3 = store.update("/c/x", b("3"), x2.modRevision(), 0);
    KeyValue gone = store.delete("/c/gone", 0);
    KeyValue x4 = store.update("/c/x", b("4"), x3.modRevision(), 0);
    long t = x3.modRevision();
    store.compact(t);
    assertEquals(t, store.compactedRevision());
    assertThrows(CompactedException.class, () -> store.get("/c/x", t - 1));
    assertThrows(CompactedException.class, () -> store.list("/c/", null, t - 1, 0));
    assertThrows(CompactedException.class, () -> store.watch("/c/", t - 2, new Recorder()));
    assertEquals(x3, store.get("/c/x", t).orElseThrow());
    assertEquals(List.of("/c/gone", "/c/live", "/c/x"), keys(store.list("/c/", null, t, 0).items()));
    Recorder rec = new Recorder();
    store.watch("/c/", t - 1, rec);
    assertEquals(List.of(x3.modRevision(), gone.modRevision(), x4.modRevision()),
        revs(rec.awaitRevision(x4.modRevision())));
    assertEquals(new WatchEvent(WatchEvent.Type.PUT, x3, x2), rec.events().get(0));
    assertEquals(live, store.get("/c/live", 0).orElseThrow());
    store.compact(t - 1); // already compacted: nothing happens
    assertEquals(t, store.compactedRevision());
    long cur = store.currentRevision();
    assertThrows(FutureRevisionException.class, () -> store.compact(cur + 1));
    // a delete at exactly the compacted revision is still seen by a watch from just before it
    KeyValue d = store.delete("/c/x", 0);
    store.compact(d.modRevision());
    Recorder last = new Recorder();
    store.watch("/c/", d.modRevision() - 1, last);
    WatchEvent del = last.awaitRevision(d.modRevision()).get(0);
    assertEquals(WatchEvent.Type.DELETE, del.type());
    assertEquals(x4, del.prevKv());
    assertEquals(List.of(live), store.list("/c/", null, d.modRevision(), 0).items());
    assertEquals(live, store.get("/c/live", d.modRevision()).orElseThrow());
  }

  @Test
  void ttlKeysExpireWithADeleteEvent() {
    Recorder rec = new Recorder();
    store.watch("/t/", 0, rec);
    KeyValue kv = store.create("/t/short", b("v"), 1);
    assertEquals(1, kv.ttlSeconds());
    store.create("/t/forever", b("v"), 0);
    WatchEvent del = rec.awaitCount(3).get(2);
    assertEquals(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue("/t/short", null, 0, r(3), 0), kv), del);
    assertTrue(store.get("/t/short", 0).isEmpty());
    assertTrue(store.get("/t/forever", 0).isPresent());
  }

  @Test
  void closedWatchGetsNothingMoreAndClosingTheStoreEndsWatches() {
    Recorder closedByCaller = new Recorder();
    Recorder open = new Recorder();
    Watch w = store.watch("/z/", 0, closedByCaller);
    store.watch("/z/", 0, open);
    KeyValue first = store.create("/z/a", b("1"), 0);
    closedByCaller.awaitRevision(first.modRevision());
    w.close();
    w.close();
    KeyValue second = store.create("/z/b", b("1"), 0);
    open.awaitRevision(second.modRevision());
    store.close();
    assertInstanceOf(WatchClosedException.class, open.awaitClose());
    assertEquals(1, closedByCaller.events().size());
    assertTrue(closedByCaller.closes().isEmpty());
    assertThrows(StorageException.class, () -> store.create("/z/c", b("1"), 0));
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
