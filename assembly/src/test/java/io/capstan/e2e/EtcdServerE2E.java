package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.EtcdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged binary on etcd: {@code capstan server --storage etcd://...} serves the API from a
 * real etcd (gRPC and Quarkus' Vert.x side by side in one process), and a malformed etcd URL is one
 * clear line.
 */
class EtcdServerE2E {

  @Test
  void serverOnEtcdServesTheApi() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start();
        CapstanServer server = CapstanServer.start("--storage", etcd.storageUrl())) {
      HttpClient c = HttpClient.newHttpClient();
      HttpResponse<String> created = c.send(HttpRequest.newBuilder(URI.create(server.url()
          + "/api/v1/namespaces/default/configmaps")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
              + "\"metadata\":{\"name\":\"on-etcd\"},\"data\":{\"k\":\"v\"}}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      HttpResponse<String> got = c.send(HttpRequest.newBuilder(URI.create(server.url()
          + "/api/v1/namespaces/default/configmaps/on-etcd")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, got.statusCode(), got.body());
      assertTrue(got.body().contains("\"k\":\"v\""), got.body());
    }
  }

  @Test
  void malformedEtcdUrlIsOneClearLine() throws Exception {
    try (CapstanProcess p = CapstanProcess.start("apiserver", "--storage", "etcd://no-port-here")) {
      String line = p.awaitLine(l -> l.startsWith("capstan: "), Duration.ofSeconds(30));
      assertEquals("capstan: invalid --storage \"etcd://no-port-here\": etcd endpoint \"no-port-here\" is not HOST:PORT",
          line);
    }
  }
}
