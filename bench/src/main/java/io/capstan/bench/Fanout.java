package io.capstan.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watch fan-out: {@code watchers} chunked watches on one namespace, then {@code events} creates;
 * latency is from just before each POST to the arrival of its ADDED event at each watcher.
 */
final class Fanout {
  private static final Pattern NAME = Pattern.compile("\"name\":\"(ev-\\d+)\"");

  private Fanout() {}

  static double[] run(Api api, HttpClient client, String namespace, int watchers, int events) throws Exception {
    api.namespace(namespace);
    String rv = api.get("/api/v1/namespaces/" + namespace + "/configmaps?limit=1")
        .replaceAll("(?s).*\"resourceVersion\":\"(\\d+)\".*", "$1");
    Map<String, Long> sent = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger open = new AtomicInteger();
    List<CompletableFuture<?>> streams = new ArrayList<>();
    for (int w = 0; w < watchers; w++) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(api.url + "/api/v1/namespaces/" + namespace
          + "/configmaps?watch=true&timeoutSeconds=120&resourceVersion=" + rv)).GET().build();
      streams.add(client.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          open.incrementAndGet();
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
          long now = System.nanoTime();
          Matcher m = NAME.matcher(line);
          if (m.find()) {
            Long t = sent.get(m.group(1));
            if (t != null) {
              latencies.add((now - t) / 1e6);
            }
          }
        }

        @Override
        public void onError(Throwable t) { }

        @Override
        public void onComplete() { }
      })));
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
    for (int i = 0; i < 200 && latencies.size() < (long) watchers * events; i++) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    double[] all = latencies.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(all);
    streams.forEach(s -> s.cancel(true));
    if (all.length == 0) {
      return new double[] {Double.NaN, Double.NaN, 0};
    }
    return new double[] {all[all.length / 2], all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))], all.length};
  }
}
