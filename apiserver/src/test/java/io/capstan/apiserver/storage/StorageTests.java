package io.capstan.apiserver.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Small helpers shared by the storage tests. */
public final class StorageTests {
  private StorageTests() {}

  public static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  public static List<String> keys(List<KeyValue> kvs) {
    return kvs.stream().map(KeyValue::key).toList();
  }

  /** Runs {@code n} calls at once (behind a barrier); returns each result or storage exception. */
  public static List<Object> race(int n, IntFunction<Object> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CyclicBarrier barrier = new CyclicBarrier(n);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        futures.add(pool.submit(() -> {
          barrier.await();
          try {
            return call.apply(id);
          } catch (StorageException e) {
            return e;
          }
        }));
      }
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@link #race} for use in a lambda: checked exceptions become {@link CompletionException}. */
  public static List<Object> raceQuietly(int n, IntFunction<Object> call) {
    try {
      return race(n, call);
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** A list page in one string: its keys, more and remaining. */
  public static String page(ListResult l) {
    return keys(l.items()) + " more=" + l.more() + " remaining=" + l.remaining();
  }

  /**
   * Applies watch events to a list's items, checking that each event's prevKv is the version it
   * replaced; returns the resulting items in key order.
   */
  public static List<KeyValue> applyEvents(List<KeyValue> items, List<WatchEvent> events) {
    Map<String, KeyValue> state = new TreeMap<>();
    items.forEach(kv -> state.put(kv.key(), kv));
    for (WatchEvent e : events) {
      assertEquals(state.get(e.kv().key()), e.prevKv(), "prevKv of " + e);
      if (e.type() == WatchEvent.Type.PUT) {
        state.put(e.kv().key(), e.kv());
      } else {
        state.remove(e.kv().key());
      }
    }
    return new ArrayList<>(state.values());
  }

  /** The revisions of some events. */
  public static List<Long> revs(List<WatchEvent> events) {
    return events.stream().map(WatchEvent::revision).toList();
  }

  /** The results of {@link #race} of one type. */
  public static <T> List<T> only(List<Object> results, Class<T> type) {
    return results.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
