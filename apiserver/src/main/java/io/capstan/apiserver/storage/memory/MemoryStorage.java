package io.capstan.apiserver.storage.memory;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.ConflictException;
import io.capstan.apiserver.storage.FutureRevisionException;
import io.capstan.apiserver.storage.KeyExistsException;
import io.capstan.apiserver.storage.KeyNotFoundException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchClosedException;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link Storage} for fast tests of the layers above. Same contract as the SQLite
 * backend: dense revisions, CAS, reads at a revision, watches with replay, compaction, TTL.
 *
 * <p>Everything is guarded by this object's monitor. History is one event per revision, kept from
 * the compacted revision on; a read at an older revision starts from the current state and
 * undoes the newer events. When history exceeds {@code maxHistory} events the oldest half is
 * compacted automatically. Watch listeners are called, in revision order, from one delivery
 * thread per store; TTL expiry is checked about every 100 ms.
 */
public final class MemoryStorage implements Storage {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private final TreeMap<String, KeyValue> current = new TreeMap<>(MemoryStorage::compareKeys);
  private final Map<String, Long> expiresAt = new HashMap<>();
  private final ArrayList<WatchEvent> history = new ArrayList<>(); // revisions firstRev..rev
  private final List<MemoryWatch> watches = new ArrayList<>();
  private final int maxHistory;
  private final ExecutorService delivery;
  private final ScheduledExecutorService ttl;
  private long firstRev = 1;
  private long rev;
  private long compactRev;
  private boolean closed;

  /** A store that keeps at most 100,000 events of history. */
  public MemoryStorage() {
    this(100_000);
  }

  public MemoryStorage(int maxHistory) {
    if (maxHistory < 2) {
      throw new IllegalArgumentException("maxHistory must be >= 2");
    }
    this.maxHistory = maxHistory;
    String name = "capstan-storage-memory" + SEQ.incrementAndGet();
    delivery = Executors.newSingleThreadExecutor(r -> daemon(r, name + "-watch"));
    ttl = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-ttl"));
    ttl.scheduleWithFixedDelay(this::expire, 100, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized long currentRevision() {
    return rev;
  }

  @Override
  public synchronized long compactedRevision() {
    return compactRev;
  }

  @Override
  public synchronized Optional<KeyValue> get(String key, long atRevision) {
    checkOpen();
    checkRevision(atRevision);
    if (atRevision == 0 || atRevision == rev) {
      return Optional.ofNullable(current.get(key));
    }
    return Optional.ofNullable(stateAt(key, key + "\0", atRevision).get(key));
  }

  @Override
  public synchronized ListResult list(String prefix, String startKey, long atRevision, int limit) {
    checkOpen();
    checkRevision(atRevision);
    String from = startKey != null && compareKeys(startKey, prefix) > 0 ? startKey : prefix;
    String end = prefixEnd(prefix);
    long at = atRevision == 0 ? rev : atRevision;
    NavigableMap<String, KeyValue> state = at == rev ? range(current, from, end) : stateAt(from, end, at);
    List<KeyValue> items = new ArrayList<>(state.values());
    if (limit <= 0 || items.size() <= limit) {
      return new ListResult(items, at, false, 0);
    }
    return new ListResult(new ArrayList<>(items.subList(0, limit)), at, true, items.size() - limit);
  }

  @Override
  public synchronized long count(String prefix) {
    checkOpen();
    return range(current, prefix, prefixEnd(prefix)).size();
  }

  @Override
  public synchronized KeyValue create(String key, byte[] value, long ttlSeconds) {
    checkOpen();
    KeyValue cur = current.get(key);
    if (cur != null) {
      throw new KeyExistsException(cur);
    }
    KeyValue kv = new KeyValue(key, value.clone(), rev + 1, rev + 1, ttlSeconds);
    put(kv);
    append(new WatchEvent(WatchEvent.Type.PUT, kv, null));
    return kv;
  }

  @Override
  public synchronized KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    checkOpen();
    KeyValue cur = current.get(key);
    if (cur == null) {
      throw new KeyNotFoundException(key);
    }
    if (cur.modRevision() != expectedModRevision) {
      throw new ConflictException(key, expectedModRevision, cur);
    }
    if (Arrays.equals(cur.value(), value)) {
      return cur;
    }
    KeyValue kv = new KeyValue(key, value.clone(), cur.createRevision(), rev + 1, ttlSeconds);
    put(kv);
    append(new WatchEvent(WatchEvent.Type.PUT, kv, cur));
    return kv;
  }

  @Override
  public synchronized KeyValue delete(String key, long expectedModRevision) {
    checkOpen();
    KeyValue cur = current.get(key);
    if (cur == null) {
      throw new KeyNotFoundException(key);
    }
    if (expectedModRevision != 0 && cur.modRevision() != expectedModRevision) {
      throw new ConflictException(key, expectedModRevision, cur);
    }
    return remove(cur);
  }

  @Override
  public synchronized Watch watch(String prefix, long afterRevision, WatchListener listener) {
    checkOpen();
    if (afterRevision > rev) {
      throw new FutureRevisionException(afterRevision, rev);
    }
    if (afterRevision + 1 < compactRev) {
      throw new CompactedException(afterRevision + 1, compactRev);
    }
    MemoryWatch w = new MemoryWatch(this, prefix, listener);
    List<WatchEvent> replay = new ArrayList<>();
    for (long r = Math.max(afterRevision + 1, firstRev); r <= rev; r++) {
      WatchEvent e = history.get((int) (r - firstRev));
      if (w.matches(e)) {
        replay.add(e);
      }
    }
    watches.add(w);
    if (!replay.isEmpty()) {
      delivery.execute(() -> w.deliver(replay));
    }
    return w;
  }

  @Override
  public synchronized void compact(long revision) {
    checkOpen();
    if (revision > rev) {
      throw new FutureRevisionException(revision, rev);
    }
    if (revision <= compactRev) {
      return;
    }
    compactRev = revision;
    // Keep the events at and after the compacted revision: reads at it undo the later ones,
    // and a watch from revision-1 replays them.
    int drop = (int) (revision - firstRev);
    history.subList(0, drop).clear();
    firstRev = revision;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (MemoryWatch w : watches) {
        delivery.execute(() -> w.closeByStore(new WatchClosedException("storage closed")));
      }
      watches.clear();
    }
    ttl.shutdownNow();
    delivery.shutdown();
    try {
      delivery.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void unregister(MemoryWatch w) {
    watches.remove(w);
  }

  private void put(KeyValue kv) {
    current.put(kv.key(), kv);
    if (kv.ttlSeconds() > 0) {
      expiresAt.put(kv.key(), System.currentTimeMillis() + kv.ttlSeconds() * 1000);
    } else {
      expiresAt.remove(kv.key());
    }
  }

  private KeyValue remove(KeyValue cur) {
    current.remove(cur.key());
    expiresAt.remove(cur.key());
    long deleteRev = rev + 1;
    append(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(cur.key(), null, 0, deleteRev, 0), cur));
    return new KeyValue(cur.key(), cur.value(), cur.createRevision(), deleteRev, cur.ttlSeconds());
  }

  private void append(WatchEvent e) {
    rev++;
    history.add(e);
    List<WatchEvent> one = List.of(e);
    for (MemoryWatch w : watches) {
      if (w.matches(e)) {
        delivery.execute(() -> w.deliver(one));
      }
    }
    if (history.size() > maxHistory) {
      compact(rev - maxHistory / 2);
    }
  }

  private synchronized void expire() {
    if (closed) {
      return;
    }
    long now = System.currentTimeMillis();
    List<String> due = new ArrayList<>();
    expiresAt.forEach((k, t) -> {
      if (t <= now) {
        due.add(k);
      }
    });
    due.sort(MemoryStorage::compareKeys);
    for (String k : due) {
      remove(current.get(k));
    }
  }

  /** The live keys in {@code [from, end)} as of {@code at}: current state minus newer events. */
  private NavigableMap<String, KeyValue> stateAt(String from, String end, long at) {
    TreeMap<String, KeyValue> state = new TreeMap<>(range(current, from, end));
    for (long r = rev; r > at; r--) {
      WatchEvent e = history.get((int) (r - firstRev));
      String k = e.kv().key();
      if (compareKeys(k, from) < 0 || (end != null && compareKeys(k, end) >= 0)) {
        continue;
      }
      if (e.prevKv() == null) {
        state.remove(k);
      } else {
        state.put(k, e.prevKv());
      }
    }
    return state;
  }

  private static NavigableMap<String, KeyValue> range(TreeMap<String, KeyValue> m, String from, String end) {
    return end == null ? m.tailMap(from, true) : m.subMap(from, true, end, false);
  }

  private void checkRevision(long atRevision) {
    if (atRevision != 0 && atRevision < compactRev) {
      throw new CompactedException(atRevision, compactRev);
    }
    if (atRevision > rev) {
      throw new FutureRevisionException(atRevision, rev);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageUnavailableException("storage is closed", null);
    }
  }

  /** Code point order, i.e. the byte order of the keys' UTF-8 form (as etcd and SQLite). */
  static int compareKeys(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(i);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
    }
    return Integer.compare(a.length() - i, b.length() - i);
  }

  /** The first key after every key starting with {@code prefix}; null for no bound. */
  static String prefixEnd(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      if (cps[i] < Character.MAX_CODE_POINT) {
        cps[i] = cps[i] + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : cps[i] + 1;
        return new String(cps, 0, i + 1);
      }
    }
    return null;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
