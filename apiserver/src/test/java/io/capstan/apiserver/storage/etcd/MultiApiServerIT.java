package io.capstan.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Several API servers on one etcd, and one API server on a three-member etcd cluster: a write
 * through one server is seen by a watch on the other; compare-and-swap writers across both servers
 * never lose an update; closing one server loses no acknowledged write; killing one etcd member
 * leaves writes and watches working.
 */
class MultiApiServerIT {

  static String cm(String name, int n) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"data\":{\"n\":\"" + n + "\"}}";
  }

  static String ns(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}";
  }

  @Test
  void twoApiServersOnOneEtcd() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      TestApiServer a = TestApiServer.start(etcd.storageUrl());
      TestApiServer b = TestApiServer.start(etcd.storageUrl());
      try {
        Http ha = new Http(a.url());
        Http hb = new Http(b.url());
        assertEquals(201, ha.post("/api/v1/namespaces", ns("m")).code());
        String rv = hb.get("/api/v1/namespaces/m/configmaps").json().path("metadata").path("resourceVersion").asText();

        // a write through A is seen by a watch on B
        try (Watch w = new Watch(hb, b.url() + "/api/v1/namespaces/m/configmaps?watch=true&resourceVersion=" + rv)) {
          assertEquals(201, ha.post("/api/v1/namespaces/m/configmaps", cm("counter", 0)).code());
          await(() -> w.names().contains("ADDED counter"), "B's watch sees A's create");
        }

        // compare-and-swap writers across both servers: exactly one winner per version
        int threads = 20;
        AtomicInteger wins = new AtomicInteger();
        List<String> errors = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Http h = t % 2 == 0 ? ha : hb;
          Thread th = new Thread(() -> {
            try {
              go.await();
              for (int i = 0; i < 3; i++) {
                JsonNode cur = h.get("/api/v1/namespaces/m/configmaps/counter").json();
                int n = Integer.parseInt(cur.path("data").path("n").asText());
                ((ObjectNode) cur.path("data")).put("n", Integer.toString(n + 1));
                Http.Answer r = h.put("/api/v1/namespaces/m/configmaps/counter", cur.toString());
                if (r.code() == 200) {
                  wins.incrementAndGet();
                } else if (r.code() != 409) {
                  errors.add(r.code() + " " + r.body());
                }
              }
            } catch (Exception e) {
              errors.add(e.toString());
            }
          });
          th.start();
          workers.add(th);
        }
        go.countDown();
        for (Thread th : workers) {
          th.join();
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertTrue(wins.get() > 0);
        for (Http h : List.of(ha, hb)) {
          assertEquals(Integer.toString(wins.get()),
              h.get("/api/v1/namespaces/m/configmaps/counter").json().path("data").path("n").asText());
        }

        // closing B while it is answering creates loses none of the creates it acknowledged
        List<String> acked = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Thread th = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
              String name = "w" + next.getAndIncrement();
              try {
                if (hb.post("/api/v1/namespaces/m/configmaps", cm(name, 1)).code() == 201) {
                  acked.add(name);
                }
              } catch (RuntimeException e) {
                return; // the server went away
              }
            }
          });
          th.start();
          writers.add(th);
        }
        await(() -> acked.size() >= 10, "some acknowledged creates through B");
        b.close();
        for (Thread th : writers) {
          th.join();
        }
        for (String name : acked) {
          assertEquals(200, ha.get("/api/v1/namespaces/m/configmaps/" + name).code(), name);
        }
      } finally {
        b.close();
        a.close();
      }
    }
  }

  @Test
  void threeMemberClusterSurvivesTheLossOfAMember() throws Exception {
    EtcdProcess[] m = {EtcdProcess.member("m0"), EtcdProcess.member("m1"), EtcdProcess.member("m2")};
    try {
      String cluster = m[0].clusterEntry() + "," + m[1].clusterEntry() + "," + m[2].clusterEntry();
      List<Thread> starts = new ArrayList<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      for (EtcdProcess p : m) {
        p.initialCluster(cluster);
        Thread th = new Thread(() -> {
          try {
            p.startProcess(); // a member is healthy only once a quorum has formed: start them together
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        th.start();
        starts.add(th);
      }
      for (Thread th : starts) {
        th.join();
      }
      assertTrue(failures.isEmpty(), failures.toString());

      try (TestApiServer s = TestApiServer.start(
          "etcd://" + m[0].endpoint() + "," + m[1].endpoint() + "," + m[2].endpoint())) {
        Http h = new Http(s.url());
        assertEquals(201, h.post("/api/v1/namespaces", ns("c")).code());
        assertEquals(201, h.post("/api/v1/namespaces/c/configmaps", cm("before", 0)).code());
        String rv = h.get("/api/v1/namespaces/c/configmaps").json().path("metadata").path("resourceVersion").asText();
        try (Watch w = new Watch(h, s.url() + "/api/v1/namespaces/c/configmaps?watch=true&resourceVersion=" + rv)) {
          m[leader(m)].stop(); // the leader: the harshest loss, it forces an election
          await(() -> h.post("/api/v1/namespaces/c/configmaps", cm("after", 1)).code() == 201,
              "writes continue with two of three members");
          await(() -> w.names().contains("ADDED after"), "the watch continues");
          assertEquals(200, h.get("/api/v1/namespaces/c/configmaps/before").code());
        }
      }
    } finally {
      for (EtcdProcess p : m) {
        p.close();
      }
    }
  }

  /** Index of the member that is the raft leader, asked through etcd's JSON gateway. */
  private static int leader(EtcdProcess[] m) throws Exception {
    java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < m.length; i++) {
      String body = c.send(HttpRequest.newBuilder(URI.create("http://" + m[i].endpoint() + "/v3/maintenance/status"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).body();
      JsonNode status = Json.MAPPER.readTree(body);
      if (status.path("leader").asText().equals(status.path("header").path("member_id").asText())) {
        return i;
      }
    }
    throw new AssertionError("no leader among the members");
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
  static final class Watch implements AutoCloseable {
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final InputStream in;

    Watch(Http http, String url) throws Exception {
      HttpResponse<InputStream> r = http.client().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
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
