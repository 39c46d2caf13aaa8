package io.capstan.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.testing.EtcdProcess;
import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.TestApiServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Service ClusterIP and NodePort allocation with two API servers on one etcd: concurrent creates
 * through both never share an address or a port, an address taken through one is refused by the
 * other, and an address freed through one can be taken through the other.
 */
class MultiApiServerServicesIT {

  private static String svc(String name, String clusterIp) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
        + "\"type\":\"NodePort\"," + (clusterIp == null ? "" : "\"clusterIP\":\"" + clusterIp + "\",")
        + "\"ports\":[{\"port\":80}]}}";
  }

  @Test
  void twoApiServersNeverHandOutTheSameAddressOrPort() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      // a tiny range, so that collisions would be certain without shared claims
      TestApiServer a = TestApiServer.start(etcd.storageUrl(), c -> c.withServiceRanges("10.97.0.0/27", "30000-30031"));
      TestApiServer b = TestApiServer.start(etcd.storageUrl(), c -> c.withServiceRanges("10.97.0.0/27", "30000-30031"));
      try {
        Http ha = new Http(a.url());
        Http hb = new Http(b.url());
        List<String> errors = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Http h = t % 2 == 0 ? ha : hb;
          int from = t * 6;
          Thread th = new Thread(() -> {
            try {
              go.await();
              for (int i = from; i < from + 6; i++) {
                Http.Answer r = h.post("/api/v1/namespaces/default/services", svc("s" + i, null));
                if (r.code() != 201) {
                  errors.add(r.code() + " " + r.body());
                }
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
          th.start();
          threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
          th.join();
        }
        assertEquals(List.of(), errors);
        JsonNode items = ha.get("/api/v1/namespaces/default/services").json().path("items");
        Set<String> ips = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        List<String> seen = new ArrayList<>();
        int count = 0;
        for (JsonNode s : items) {
          if (!s.path("metadata").path("name").asText().startsWith("s")) {
            continue;
          }
          count++;
          String ip = s.path("spec").path("clusterIP").asText();
          int port = s.path("spec").path("ports").path(0).path("nodePort").asInt();
          seen.add(s.path("metadata").path("name").asText() + "=" + ip + ":" + port);
          assertTrue(ips.add(ip), "duplicate ClusterIP " + ip + " in " + seen);
          assertTrue(ports.add(port), "duplicate nodePort " + port + " in " + seen);
        }
        assertEquals(24, count);

        // an address taken through A is refused by B; once freed through A, B can take it
        String taken = ha.get("/api/v1/namespaces/default/services/s0").json().path("spec").path("clusterIP").asText();
        Http.Answer refused = hb.post("/api/v1/namespaces/default/services", svc("again", taken));
        assertEquals(422, refused.code(), refused.body());
        assertTrue(refused.body().contains("provided IP is already allocated"), refused.body());
        assertEquals(200, ha.delete("/api/v1/namespaces/default/services/s0").code());
        Http.Answer reused = hb.post("/api/v1/namespaces/default/services", svc("again", taken));
        assertEquals(201, reused.code(), reused.body());
      } finally {
        b.close();
        a.close();
      }
    }
  }
}
