package io.capstan.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.testing.EtcdProcess;
import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.TestApiServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-process API server on a real etcd: the HTTP API works (create, get, list, watch, keys as
 * Kubernetes lays them out); with etcd stopped requests answer 503/504 with Retry-After instead of
 * hanging; once etcd is back requests succeed again and an open watch carries on (or ends, never
 * hangs).
 */
class EtcdApiServerIT {
  private static EtcdProcess etcd;
  private static TestApiServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    etcd = EtcdProcess.start();
    server = TestApiServer.start(etcd.storageUrl());
    http = new Http(server.url());
  }

  @AfterAll
  static void stop() {
    try {
      server.close();
    } finally {
      etcd.close();
    }
  }

  static String cm(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
  }

  @Test
  void createGetListWatchThroughTheApiThenSurviveAnEtcdOutage() throws Exception {
    assertEquals(201, http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
        + "\"metadata\":{\"name\":\"e1\"}}").code());
    JsonNode a = http.post("/api/v1/namespaces/e1/configmaps", cm("a")).json();
    String rvA = a.path("metadata").path("resourceVersion").asText();
    // resourceVersion is the etcd mod revision of the Kubernetes-shaped key
    assertEquals(Long.parseLong(rvA),
        server.storage().get("/registry/configmaps/e1/a", 0).orElseThrow().modRevision());
    assertEquals("v", http.get("/api/v1/namespaces/e1/configmaps/a").json().path("data").path("k").asText());
    JsonNode list = http.get("/api/v1/namespaces/e1/configmaps").json();
    assertEquals(1, list.path("items").size());
    String listRv = list.path("metadata").path("resourceVersion").asText();

    try (Lines w = new Lines("/api/v1/namespaces/e1/configmaps?watch=true&resourceVersion=" + listRv)) {
      http.post("/api/v1/namespaces/e1/configmaps", cm("b"));
      await(() -> w.names().contains("ADDED b"), "watch event ADDED b");

      etcd.stop();
      await(() -> {
        Http.Answer g = http.get("/api/v1/namespaces/e1/configmaps/a");
        return g.code() == 503 || g.code() == 504;
      }, "503/504 while etcd is down");
      Http.Answer down = http.get("/api/v1/namespaces/e1/configmaps/a");
      assertTrue(down.code() == 503 || down.code() == 504, down.body());
      assertEquals("1", down.raw().headers().firstValue("Retry-After").orElse(""));
      assertEquals("Status", down.json().path("kind").asText());
      Http.Answer write = http.post("/api/v1/namespaces/e1/configmaps", cm("c"));
      assertTrue(write.code() == 503 || write.code() == 504, write.body());
      try (Lines during = new Lines("/api/v1/namespaces/e1/configmaps?watch=true&resourceVersion=" + listRv)) {
        await(() -> during.ended, "a watch started while etcd is down ends");
        assertTrue(during.events.stream().anyMatch(e -> e.path("type").asText().equals("ERROR")
            && e.path("object").path("code").asInt() >= 503), during.events.toString());
      }

      etcd.startProcess();
      await(() -> http.get("/api/v1/namespaces/e1/configmaps/a").code() == 200, "reads succeed again");
      await(() -> http.post("/api/v1/namespaces/e1/configmaps", cm("d")).code() == 201, "writes succeed again");
      // the open watch carries on with the new event, or has ended (the client would re-watch): no hang
      await(() -> w.names().contains("ADDED d") || w.ended, "watch resumes or ends");
      assertTrue(w.names().contains("ADDED d"), "the shared etcd watch resumed: " + w.names());
    }
    assertEquals(List.of("a", "b", "d"), names(http.get("/api/v1/namespaces/e1/configmaps").json()));
  }

  @Test
  void aFrozenEtcdGives504WithRetryAfterWithinTheRequestDeadline() throws Exception {
    http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"frozen\"}}");
    etcd.pause();
    try {
      Http.Answer g = http.get("/api/v1/namespaces/frozen/configmaps"); // the 5 s etcd deadline, not a hang
      assertEquals(504, g.code(), g.body());
      assertEquals("Timeout", g.reason());
      assertEquals("1", g.raw().headers().firstValue("Retry-After").orElse(""));
    } finally {
      etcd.resume();
    }
    await(() -> http.get("/api/v1/namespaces/frozen/configmaps").code() == 200, "reads succeed again");
  }

  @Test
  void aQuietWatchsBookmarkFollowsTheStoresProgress() throws Exception {
    http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"quiet\"}}");
    http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"busy\"}}");
    String rv = http.get("/api/v1/namespaces/quiet/configmaps").json().path("metadata").path("resourceVersion").asText();
    try (Lines w = new Lines("/api/v1/namespaces/quiet/configmaps?watch=true&allowWatchBookmarks=true"
        + "&timeoutSeconds=2&resourceVersion=" + rv)) {
      long busy = Long.parseLong(http.post("/api/v1/namespaces/busy/configmaps", cm("x")).json()
          .path("metadata").path("resourceVersion").asText());
      await(() -> w.ended, "the watch's timeout");
      JsonNode bookmark = w.events.stream().filter(e -> e.path("type").asText().equals("BOOKMARK")).findFirst()
          .orElseThrow(() -> new AssertionError("no bookmark: " + w.events));
      // no event for this watch, yet its bookmark moved past the other namespace's write
      assertTrue(Long.parseLong(bookmark.path("object").path("metadata").path("resourceVersion").asText()) >= busy,
          bookmark + " vs " + busy);
      assertTrue(Long.parseLong(rv) < busy);
    }
  }

  private static List<String> names(JsonNode list) {
    return java.util.stream.StreamSupport.stream(list.path("items").spliterator(), false)
        .map(i -> i.path("metadata").path("name").asText()).toList();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Reads a chunked watch response line by line on a background thread. */
  static final class Lines implements AutoCloseable {
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final InputStream in;
    volatile boolean ended;

    Lines(String path) throws Exception {
      HttpResponse<InputStream> r = http.client().send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET()
          .build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      in = r.body();
      Thread reader = new Thread(() -> {
        try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = br.readLine()) != null) {
            if (!line.isBlank()) {
              events.add(Json.MAPPER.readTree(line));
            }
          }
        } catch (Exception e) {
          // stream closed
        }
        ended = true;
      });
      reader.setDaemon(true);
      reader.start();
    }

    List<String> names() {
      return events.stream().map(e -> e.path("type").asText() + " " + e.path("object").path("metadata")
          .path("name").asText()).toList();
    }

    @Override
    public void close() throws Exception {
      in.close();
    }
  }
}
