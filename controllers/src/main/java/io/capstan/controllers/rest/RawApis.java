package io.capstan.controllers.rest;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The {@link RawApi}s: one over the Fabric8 client's own HTTP client, which supports every way a
 * kubeconfig can authenticate; and one straight over the JDK HTTP client, which gets a write
 * acknowledged for about half the client CPU (measured in docs/benchmarks.md) and is used when the
 * configuration is one it can reproduce exactly: a static bearer token or basic credentials, TLS
 * from certificate files or data, no proxy, impersonation, custom headers or auth plug-in. If the
 * server answers 401 (an expired token that Fabric8 would refresh), the direct one hands this and
 * every later request to Fabric8's.
 */
public final class RawApis {
  private static final Logger LOG = Logger.getLogger(RawApis.class);

  private RawApis() {}

  /** The fastest raw API that is faithful to {@code client}'s configuration. */
  public static RawApi of(KubernetesClient client) {
    RawApi fabric8 = fabric8(client);
    Config config = client.getConfiguration();
    if (!reproducible(config)) {
      return fabric8;
    }
    try {
      return direct(config, fabric8);
    } catch (Exception e) {
      LOG.debugf("direct requests unavailable, using the Fabric8 client: %s", e);
      return fabric8;
    }
  }

  /** Whether the JDK client can send exactly what Fabric8 would. */
  static boolean reproducible(Config config) {
    return config.getAuthProvider() == null
        && config.getOauthTokenProvider() == null
        && config.getImpersonateUsername() == null
        && (config.getImpersonateGroups() == null || config.getImpersonateGroups().length == 0)
        && config.getHttpProxy() == null
        && config.getHttpsProxy() == null
        && (config.getCustomHeaders() == null || config.getCustomHeaders().isEmpty())
        && !config.isDisableHostnameVerification()
        && config.getTlsServerName() == null;
  }

  /** Straight over the JDK client, handing over to {@code fallback} after the first 401. */
  static RawApi direct(Config config, RawApi fallback) throws Exception {
    return new Direct(config, fallback);
  }

  /** Through the Fabric8 client's HTTP client and its interceptors (token refresh and all). */
  static RawApi fabric8(KubernetesClient client) {
    HttpClient http = client.getHttpClient();
    return (method, path, contentType, body) -> {
      try {
        var request = http.newHttpRequestBuilder().url(new URL(client.getMasterUrl(), path.substring(1)))
            .method(method, contentType, body).build();
        return http.sendAsync(request, String.class)
            .thenApply(r -> new RawApi.Reply(r.code(), r.code() / 100 == 2 ? "" : r.body()));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static int positive(Integer value, int otherwise) {
    return value != null && value > 0 ? value : otherwise;
  }

  /** Straight over the JDK client, HTTP/1.1 (one connection per request in flight). */
  private static final class Direct implements RawApi {
    private final java.net.http.HttpClient http;
    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final RawApi fallback;
    private volatile boolean fallenBack;
    /**
     * Blocking sends on a pool of threads: measured here, 32 threads each blocked in {@code send}
     * got bindings acknowledged at about twice the rate of 32 {@code sendAsync} calls in flight
     * (3,600 against 1,850 /s, same server, same run). Callers bound their requests in flight;
     * idle threads end after 30 s.
     */
    private final ThreadPoolExecutor senders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemon("capstan-raw-api"));

    Direct(Config config, RawApi fallback) throws Exception {
      java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofMillis(positive(config.getConnectionTimeout(), 10_000)));
      String master = config.getMasterUrl();
      if (master.startsWith("https:")) {
        builder.sslContext(SSLUtils.sslContext(config));
      }
      this.http = builder.build();
      this.base = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
      String token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
      if (token != null && !token.isEmpty()) {
        authorization = "Bearer " + token;
      } else if (config.getUsername() != null && config.getPassword() != null) {
        authorization = "Basic " + Base64.getEncoder().encodeToString(
            (config.getUsername() + ":" + config.getPassword()).getBytes(StandardCharsets.UTF_8));
      } else {
        authorization = null;
      }
      int requestTimeout = positive(config.getRequestTimeout(), 0);
      this.timeout = requestTimeout > 0 ? Duration.ofMillis(requestTimeout) : null;
      this.fallback = fallback;
    }

    @Override
    public CompletableFuture<Reply> send(String method, String path, String contentType, String body) {
      if (fallenBack) {
        return fallback.send(method, path, contentType, body);
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .header("Content-Type", contentType)
          .header("Accept", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (timeout != null) {
        request.timeout(timeout);
      }
      HttpRequest built = request.build();
      CompletableFuture<HttpResponse<String>> sent = new CompletableFuture<>();
      try {
        senders.execute(() -> {
          try {
            sent.complete(http.send(built, HttpResponse.BodyHandlers.ofString()));
          } catch (Exception | Error e) {
            sent.completeExceptionally(e);
          }
        });
      } catch (RuntimeException e) {
        sent.completeExceptionally(e);
      }
      return sent.thenCompose(r -> {
        if (r.statusCode() == 401) {
          fallenBack = true;
          LOG.debug("a direct request was answered 401; sending through the Fabric8 client from now on");
          return fallback.send(method, path, contentType, body);
        }
        return CompletableFuture.completedFuture(new Reply(r.statusCode(), r.statusCode() / 100 == 2 ? "" : r.body()));
      });
    }
  }
}
