package io.capstan.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How late three watchers of the same pods see a burst of bindings, counted from each binding's
 * acknowledgement: a chunked HTTP watch and a WebSocket watch read with the JDK's own clients (the
 * baselines: what the API server delivers), and a Fabric8 watch (what capstan's controllers and
 * Fabric8 users see). Two rounds: the first on cold JVMs, the second on warm ones. Usage:
 * {@code WatchLagBench URL PODS}. Not a test: it asserts nothing.
 */
public final class WatchLagBench {
  static final String NS = "bench-watch-lag";
  static final int IN_FLIGHT = 32;

  private WatchLagBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int pods = Integer.parseInt(args[1]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url)
        .withHttp2Disable(true).build()).build()) {
      // Round 1 runs on cold JVMs (this one and the server's binding path); round 2 on warm ones.
      for (int round = 1; round <= 2; round++) {
        System.out.println("round " + round + (round == 1 ? " (cold JVMs)" : " (warm JVMs)"));
        measure(http, client, url, NS + "-" + round, pods);
      }
    }
    System.exit(0);
  }

  static void measure(HttpClient http, KubernetesClient client, String url, String ns, int pods) throws Exception {
    Api api = new Api(http, url);
    SchedulerBench.createPods(api, ns, pods, "bench-baseline");
    Map<String, Long> acked = new ConcurrentHashMap<>();
    Map<String, Long> chunked = new ConcurrentHashMap<>();
    Map<String, Long> websocket = new ConcurrentHashMap<>();
    Map<String, Long> fabric8 = new ConcurrentHashMap<>();
    String path = "/api/v1/namespaces/" + ns + "/pods?watch=true";
    InputStream stream = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
        HttpResponse.BodyHandlers.ofInputStream()).body();
    Thread reader = new Thread(() -> readLines(stream, chunked), "chunked-watch");
    reader.setDaemon(true);
    reader.start();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(url.replaceFirst("^http", "ws") + path),
        new WebSocket.Listener() {
          private final StringBuilder message = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
              seen(message.toString(), websocket);
              message.setLength(0);
            }
            ws.request(1);
            return null;
          }
        }).join();
    try (Watch w = client.pods().inNamespace(ns).watch(new Watcher<Pod>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (pod.getSpec().getNodeName() != null) {
          fabric8.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      TimeUnit.SECONDS.sleep(1);
      long start = System.nanoTime();
      bind(http, url, ns, pods, acked);
      double rate = pods / ((System.nanoTime() - start) / 1e9);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (fabric8.size() < pods && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      ApiBench.print(pods + " bindings, " + IN_FLIGHT + " in flight", rate, "/s", null);
      report("JDK chunked HTTP watch (baseline)", acked, chunked);
      report("JDK WebSocket watch (baseline)", acked, websocket);
      report("Fabric8 watch", acked, fabric8);
    } finally {
      ws.abort();
      stream.close();
    }
  }

  static void readLines(InputStream in, Map<String, Long> seen) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        seen(line, seen);
      }
    } catch (IOException e) {
      // the watch ended
    }
  }

  /** Records when a MODIFIED event of a bound pod named pod-N arrived. */
  static void seen(String event, Map<String, Long> seen) {
    if (!event.contains("\"nodeName\"")) {
      return;
    }
    int i = event.indexOf("\"name\":\"pod-");
    if (i >= 0) {
      seen.putIfAbsent(event.substring(i + 8, event.indexOf('"', i + 8)), System.nanoTime());
    }
  }

  static void bind(HttpClient http, String url, String ns, int total, Map<String, Long> acked)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    Thread[] threads = new Thread[IN_FLIGHT];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        int i;
        try {
          while ((i = next.getAndIncrement()) < total) {
            String name = "pod-" + i;
            http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/namespaces/" + ns + "/pods/" + name + "/binding"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + name + "\"},"
                        + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-" + (i % 100) + "\"}}"))
                .build(), HttpResponse.BodyHandlers.discarding());
            acked.put(name, System.nanoTime());
          }
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  static void report(String watcher, Map<String, Long> acked, Map<String, Long> seen) {
    List<Long> lags = new ArrayList<>();
    acked.forEach((name, at) -> {
      Long s = seen.get(name);
      lags.add(s == null ? Long.MAX_VALUE : Math.max(0, s - at) / 1_000_000);
    });
    Collections.sort(lags);
    int n = lags.size();
    long missing = lags.stream().filter(l -> l == Long.MAX_VALUE).count();
    System.out.printf(java.util.Locale.ROOT, "%-62s p50 %6d ms  p99 %6d ms  max %6d ms%s%n",
        "event after its binding was acknowledged: " + watcher, lags.get(n / 2), lags.get(n * 99 / 100),
        lags.get(n - 1), missing > 0 ? "  (" + missing + " never seen)" : "");
  }
}
