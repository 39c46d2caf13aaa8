package io.capstan.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.NamespaceCache.State;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.memory.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The namespace cache against a store written behind its back (as another API server would):
 * listed at start, kept by its watch, told at once of this server's own terminations, never set
 * back by an older revision, and silent (UNKNOWN, so callers read storage) about what it has not seen.
 */
class NamespaceCacheTest {
  private static final String PREFIX = "/registry/namespaces/";
  private final MemoryStorage storage = new MemoryStorage();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timers.shutdownNow();
    storage.close();
  }

  @Test
  void followsTheStoreAndThisServersOwnTerminations() throws Exception {
    KeyValue before = storage.create(PREFIX + "before", ns("before", false, 0), 0);
    try (NamespaceCache cache = new NamespaceCache(storage, PREFIX, timers)) {
      assertEquals(State.UNKNOWN, cache.lookup("before"), "nothing is known before the first list");
      cache.start();
      assertEquals(State.ACTIVE, cache.lookup("before"));
      assertEquals(State.UNKNOWN, cache.lookup("never"));

      KeyValue later = storage.create(PREFIX + "later", ns("later", false, 0), 0);
      await(() -> cache.lookup("later") == State.ACTIVE);

      // this server starts terminating "before": known at once, before any watch event
      KeyValue terminating = storage.update(PREFIX + "before", ns("before", true, 0), before.modRevision(), 0);
      cache.written(object(ns("before", true, terminating.modRevision())));
      assertEquals(State.TERMINATING, cache.lookup("before"));

      // an older write of "before" seen late does not make it active again
      cache.onEvents(java.util.List.of(new io.capstan.apiserver.storage.WatchEvent(
          io.capstan.apiserver.storage.WatchEvent.Type.PUT, before, null)));
      assertEquals(State.TERMINATING, cache.lookup("before"));

      storage.delete(PREFIX + "later", later.modRevision());
      await(() -> cache.lookup("later") == State.UNKNOWN);
    }
  }

  private static ObjectNode object(byte[] json) {
    return Json.parseObject(json);
  }

  private static byte[] ns(String name, boolean terminating, long rv) {
    String meta = "\"name\":\"" + name + "\"" + (rv > 0 ? ",\"resourceVersion\":\"" + rv + "\"" : "")
        + (terminating ? ",\"deletionTimestamp\":\"2026-11-28T00:00:00Z\"" : "");
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{" + meta + "},\"status\":{\"phase\":\""
        + (terminating ? "Terminating" : "Active") + "\"}}").getBytes(StandardCharsets.UTF_8);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertEquals(true, condition.getAsBoolean());
  }
}
