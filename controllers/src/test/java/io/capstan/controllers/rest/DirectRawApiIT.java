package io.capstan.controllers.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The raw API contract straight over the JDK client, as {@link RawApis#of} chooses it for a plain
 * kubeconfig; plus its hand-over to the Fabric8 raw API after a 401 and its refusal of
 * configurations it cannot reproduce.
 */
class DirectRawApiIT extends RawApiContract {
  @Override
  RawApi api(KubernetesClient client) {
    RawApi api = RawApis.of(client);
    assertEquals("Direct", api.getClass().getSimpleName(), "a plain kubeconfig should get the direct raw API");
    return api;
  }

  @Test
  void sendsTheBearerTokenAndHandsOverToTheFallbackAfter401() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", exchange -> {
      seen.add(exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    http.start();
    try {
      List<String> fallbackPaths = new CopyOnWriteArrayList<>();
      RawApi fallback = (method, path, contentType, body) -> {
        fallbackPaths.add(path);
        return CompletableFuture.completedFuture(new RawApi.Reply(201, ""));
      };
      RawApi direct = RawApis.direct(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + http.getAddress().getPort())
          .withOauthToken("s3cret").build(), fallback);

      assertEquals(201, direct.post("/api/v1/namespaces/a/pods/p/binding", "{}").get().code());
      assertEquals(201, direct.post("/api/v1/namespaces/a/pods/q/binding", "{}").get().code());
      assertEquals(List.of("Bearer s3cret"), seen, "only the first request goes direct");
      assertEquals(List.of("/api/v1/namespaces/a/pods/p/binding", "/api/v1/namespaces/a/pods/q/binding"), fallbackPaths);
    } finally {
      http.stop(0);
    }
  }

  @Test
  void leavesConfigurationsItCannotReproduceToFabric8() {
    assertTrue(RawApis.reproducible(new ConfigBuilder().withMasterUrl("https://h:6443").withOauthToken("t").build()));
    assertTrue(!RawApis.reproducible(new ConfigBuilder().withMasterUrl("https://h:6443").withImpersonateUsername("bob").build()));
    assertTrue(!RawApis.reproducible(new ConfigBuilder().withMasterUrl("https://h:6443").withHttpsProxy("http://proxy:3128").build()));
    assertTrue(!RawApis.reproducible(new ConfigBuilder().withMasterUrl("https://h:6443").withDisableHostnameVerification(true).build()));
  }
}
