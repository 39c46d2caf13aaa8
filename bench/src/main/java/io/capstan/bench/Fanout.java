package io.capstan.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watch fan-out: {@code watchers} chunked watches on one namespace (one connection each, read by
 * a Netty-based client so that the client is not the bottleneck), then {@code events} creates;
 * latency is from just before each POST to the arrival of its ADDED event at each watcher.
 */
final class Fanout {
  private static final String MARK = "\"name\":\"ev-";

  private Fanout() {}

  /** The "ev-N" name in a watch line, found without a regex: the client must stay cheap. */
  static String eventName(String line) {
    int i = line.indexOf(MARK);
    if (i < 0) {
      return null;
    }
    int start = i + MARK.length() - 3;
    int end = line.indexOf('"', start);
    return end < 0 ? null : line.substring(start, end);
  }

  static double[] run(Api api, String namespace, int watchers, int events) throws Exception {
    api.namespace(namespace);
    String rv = api.get("/api/v1/namespaces/" + namespace + "/configmaps?limit=1")
        .replaceAll("(?s).*\"resourceVersion\":\"(\\d+)\".*", "$1");
    URI base = URI.create(api.url);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()).setMaxPoolSize(watchers + 10).setKeepAlive(true));
    Map<String, Long> sent = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger open = new AtomicInteger();
    String path = "/api/v1/namespaces/" + namespace + "/configmaps?watch=true&timeoutSeconds=120&resourceVersion=" + rv;
    for (int w = 0; w < watchers; w++) {
      client.request(HttpMethod.GET, path).compose(req -> req.send()).onSuccess(res -> {
        open.incrementAndGet();
        res.handler(RecordParser.newDelimited("\n", line -> {
          long now = System.nanoTime();
          String name = eventName(line.toString());
          Long t = name == null ? null : sent.get(name);
          if (t != null) {
            latencies.add((now - t) / 1e6);
          }
        }));
      });
    }
    for (int i = 0; i < 600 && open.get() < watchers; i++) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    TimeUnit.SECONDS.sleep(1);
    for (int i = 0; i < events; i++) {
      String name = "ev-" + i;
      sent.put(name, System.nanoTime());
      api.post("/api/v1/namespaces/" + namespace + "/configmaps", Api.configMap(name));
      TimeUnit.MILLISECONDS.sleep(20);
    }
    for (int i = 0; i < 200 && latencies.size() < (long) open.get() * events; i++) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    double[] all = latencies.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(all);
    vertx.close();
    if (all.length == 0) {
      return new double[] {Double.NaN, Double.NaN, 0, open.get()};
    }
    return new double[] {all[all.length / 2], all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))],
        all.length, open.get()};
  }
}
