package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.ApiServerFixture;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Watches over chunked HTTP and WebSocket: initial events, resume, selectors, bookmarks, 410. */
class WatchIT extends ApiServerFixture {

  static void namespace(String ns) {
    http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
  }

  static String cm(String name, String labels) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels + "}}}";
  }

  /** Reads watch lines from a chunked response on a background thread. */
  static final class Lines implements AutoCloseable {
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final InputStream in;
    final Thread reader;
    volatile boolean ended;

    Lines(String path) throws Exception {
      HttpResponse<InputStream> r = http.client().send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      in = r.body();
      reader = new Thread(() -> {
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

    JsonNode next() throws InterruptedException {
      JsonNode e = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(e, "no watch event within 10 s");
      return e;
    }

    @Override
    public void close() throws Exception {
      in.close();
    }
  }

  @Test
  void resumeFromListRevisionSeesEveryChangeInOrder() throws Exception {
    namespace("w1");
    http.post("/api/v1/namespaces/w1/configmaps", cm("before", ""));
    String rv = http.get("/api/v1/namespaces/w1/configmaps").json().path("metadata").path("resourceVersion").asText();
    try (Lines w = new Lines("/api/v1/namespaces/w1/configmaps?watch=true&resourceVersion=" + rv)) {
      JsonNode created = http.post("/api/v1/namespaces/w1/configmaps", cm("a", "")).json();
      String body = created.toString().replace("\"labels\":{}", "\"labels\":{\"x\":\"1\"}");
      http.put("/api/v1/namespaces/w1/configmaps/a", body);
      http.delete("/api/v1/namespaces/w1/configmaps/a");
      List<String> seen = new ArrayList<>();
      long last = Long.parseLong(rv);
      for (int i = 0; i < 3; i++) {
        JsonNode e = w.next();
        seen.add(e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText());
        long erv = Long.parseLong(e.path("object").path("metadata").path("resourceVersion").asText());
        assertTrue(erv > last, "revisions increase");
        last = erv;
      }
      assertEquals(List.of("ADDED a", "MODIFIED a", "DELETED a"), seen);
    }
  }

  @Test
  void watchWithoutResourceVersionStartsWithSyntheticAdded() throws Exception {
    namespace("w2");
    http.post("/api/v1/namespaces/w2/configmaps", cm("x", ""));
    http.post("/api/v1/namespaces/w2/configmaps", cm("y", ""));
    try (Lines w = new Lines("/api/v1/namespaces/w2/configmaps?watch=1")) {
      assertEquals("ADDED", w.next().path("type").asText());
      assertEquals("ADDED", w.next().path("type").asText());
      http.post("/api/v1/namespaces/w2/configmaps", cm("z", ""));
      JsonNode e = w.next();
      assertEquals("z", e.path("object").path("metadata").path("name").asText());
    }
  }

  @Test
  void selectorTransitionsAreAddedAndDeleted() throws Exception {
    namespace("w3");
    try (Lines w = new Lines("/api/v1/namespaces/w3/configmaps?watch=true&labelSelector=app%3Dweb")) {
      JsonNode obj = http.post("/api/v1/namespaces/w3/configmaps", cm("s", "\"app\":\"db\"")).json();
      obj = http.put("/api/v1/namespaces/w3/configmaps/s", obj.toString().replace("\"app\":\"db\"", "\"app\":\"web\"")).json();
      http.put("/api/v1/namespaces/w3/configmaps/s", obj.toString().replace("\"app\":\"web\"", "\"app\":\"db\""));
      assertEquals("ADDED", w.next().path("type").asText());
      JsonNode left = w.next();
      assertEquals("DELETED", left.path("type").asText());
      assertEquals("web", left.path("object").path("metadata").path("labels").path("app").asText());
    }
  }

  @Test
  void timeoutEndsTheStreamAfterABookmark() throws Exception {
    namespace("w4");
    String rv = http.get("/api/v1/namespaces/w4/configmaps").json().path("metadata").path("resourceVersion").asText();
    try (Lines w = new Lines("/api/v1/namespaces/w4/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=" + rv)) {
      JsonNode e = w.next();
      assertEquals("BOOKMARK", e.path("type").asText());
      assertEquals("ConfigMap", e.path("object").path("kind").asText());
      w.reader.join(10_000);
      assertTrue(w.ended, "stream ended after timeoutSeconds");
    }
  }

  @Test
  void compactedResourceVersionGivesExpiredErrorEvent() throws Exception {
    namespace("w5");
    String old = http.post("/api/v1/namespaces/w5/configmaps", cm("c1", "")).json().path("metadata").path("resourceVersion").asText();
    http.post("/api/v1/namespaces/w5/configmaps", cm("c2", ""));
    http.post("/api/v1/namespaces/w5/configmaps", cm("c3", ""));
    server.storage().compact(server.storage().currentRevision());
    try (Lines w = new Lines("/api/v1/namespaces/w5/configmaps?watch=true&resourceVersion=" + (Long.parseLong(old) - 1))) {
      JsonNode e = w.next();
      assertEquals("ERROR", e.path("type").asText());
      assertEquals(410, e.path("object").path("code").asInt());
      assertEquals("Expired", e.path("object").path("reason").asText());
    }
    Http.Answer list = http.get("/api/v1/namespaces/w5/configmaps?limit=1&resourceVersion=" + old + "&resourceVersionMatch=Exact");
    assertEquals(410, list.code(), list.body());
  }

  @Test
  void tableWatchSendsColumnsOnlyFirst() throws Exception {
    namespace("w6");
    String rv = http.get("/api/v1/namespaces/w6/configmaps").json().path("metadata").path("resourceVersion").asText();
    HttpResponse<InputStream> r = http.client().send(HttpRequest.newBuilder(URI.create(server.url()
            + "/api/v1/namespaces/w6/configmaps?watch=true&resourceVersion=" + rv))
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    http.post("/api/v1/namespaces/w6/configmaps", cm("t1", ""));
    http.post("/api/v1/namespaces/w6/configmaps", cm("t2", ""));
    try (BufferedReader br = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      JsonNode first = Json.MAPPER.readTree(br.readLine());
      JsonNode second = Json.MAPPER.readTree(br.readLine());
      assertEquals("Table", first.path("object").path("kind").asText());
      assertTrue(first.path("object").path("columnDefinitions").size() > 0);
      assertEquals(0, second.path("object").path("columnDefinitions").size());
      assertEquals("t2", second.path("object").path("rows").get(0).path("cells").get(0).asText());
    }
  }

  @Test
  void watchesEndWhenClientsVanish() throws Exception {
    namespace("w8");
    int before = server.server().openWatches();
    List<Lines> clients = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      clients.add(new Lines("/api/v1/namespaces/w8/configmaps?watch=true"));
    }
    http.post("/api/v1/namespaces/w8/configmaps", cm("seen", ""));
    for (Lines l : clients) {
      assertEquals("ADDED", l.next().path("type").asText());
    }
    assertEquals(before + 40, server.server().openWatches());
    for (Lines l : clients) {
      l.close();
    }
    http.post("/api/v1/namespaces/w8/configmaps", cm("after", ""));
    for (int i = 0; i < 100 && server.server().openWatches() > before; i++) {
      Thread.sleep(100);
    }
    assertEquals(before, server.server().openWatches(), "every watch of a vanished client is closed");
  }

  @Test
  void webSocketWatchSendsOneTextFramePerEvent() throws Exception {
    namespace("w7");
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    String rv = http.get("/api/v1/namespaces/w7/configmaps").json().path("metadata").path("resourceVersion").asText();
    WebSocket ws = http.client().newWebSocketBuilder().buildAsync(
        URI.create(server.url().replace("http:", "ws:") + "/api/v1/namespaces/w7/configmaps?watch=true&resourceVersion=" + rv),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.add(data.toString());
            webSocket.request(1);
            return null;
          }
        }).join();
    http.post("/api/v1/namespaces/w7/configmaps", cm("ws1", ""));
    String frame = frames.poll(10, TimeUnit.SECONDS);
    assertNotNull(frame);
    JsonNode e = Json.MAPPER.readTree(frame);
    assertEquals("ADDED", e.path("type").asText());
    assertEquals("ws1", e.path("object").path("metadata").path("name").asText());
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
  }
}
