package io.capstan.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The API server on etcd against etcd itself, in one run: ConfigMap creates per second through
 * {@code capstan apiserver --storage etcd://} at 1, 8 and 32 concurrent clients (each a keep-alive
 * connection of {@link RawHttp}, so that the client's own cost stays small) against raw etcd puts
 * of a value of the same size at the same concurrency (target: at least 60 %) and against raw etcd
 * create transactions of the same shape as the API's ({@code If mod == 0 Then put Else range}),
 * which is what bounds the API on etcd 3.4 (docs/benchmarks.md); then watch delivery latency (from
 * the start of each create to its ADDED event) with 1 and with 1,000 chunked HTTP watchers of the
 * same namespace. Usage: {@code EtcdBench API_URL ETCD_HOST:PORT [SECONDS [CLIENTS [raw|txn]]]};
 * with CLIENTS only API creates (or raw puts, or raw create transactions) at that concurrency run,
 * for profiling. WARMUP_SECONDS in the environment sets the API warm-up per concurrency (default
 * 20: the API server's JIT settles after about a minute of load); ETCD_BENCH_WATCH=0 skips the watch
 * rounds (for {@link EtcdProxy}, which serves none).
 * Not a test: it asserts nothing.
 */
public final class EtcdBench {
  private static final int[] CLIENTS = {1, 8, 32};
  private static final String VALUE_PAD = "x".repeat(200);

  private EtcdBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String etcd = args[1];
    Duration round = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ManagedChannel channel = NettyChannelBuilder.forTarget(etcd).usePlaintext().build();
    try {
      KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
      int size = body("sizing", 0).length();
      if (args.length > 3) {
        int clients = Integer.parseInt(args[3]);
        String tag = "p" + System.currentTimeMillis();
        if (args.length > 4 && args[4].equals("txn")) {
          System.out.printf("raw etcd create txns, %d clients: %.0f /s%n", clients, rawTxns(kv, clients, round, size, tag));
        } else if (args.length > 4 && args[4].equals("raw")) {
          System.out.printf("raw etcd puts, %d clients: %.0f /s%n", clients, rawPuts(kv, clients, round, size, tag));
        } else {
          System.out.printf("API creates on etcd, %d clients: %.0f /s%n", clients, creates(http, url, clients, round, tag));
        }
        System.exit(0);
      }
      // warm-up (JIT, connections), not counted: the bench's own gRPC client, then the API server
      // at each concurrency until its JIT has settled (about a minute of load on this machine)
      long warm = Long.parseLong(System.getenv().getOrDefault("WARMUP_SECONDS", "20"));
      rawPuts(kv, 8, Duration.ofSeconds(3), size, "warm");
      rawTxns(kv, 8, Duration.ofSeconds(3), size, "warm");
      for (int c : CLIENTS) {
        creates(http, url, c, Duration.ofSeconds(warm), "warm" + c);
      }
      for (int c : CLIENTS) {
        double raw = rawPuts(kv, c, round, size, "c" + c);
        double txn = rawTxns(kv, c, round, size, "c" + c);
        double api = creates(http, url, c, round, "c" + c);
        System.out.printf("%-50s %6.0f /s  (raw etcd put %.0f /s: %.0f %%, target >= 60 %%; "
            + "raw etcd create txn %.0f /s: %.0f %%)%n", "API creates on etcd, " + c + " concurrent client"
            + (c == 1 ? "" : "s"), api, raw, 100 * api / raw, txn, 100 * api / txn);
      }
      boolean watches = !"0".equals(System.getenv("ETCD_BENCH_WATCH")); // 0: the server serves no watch (EtcdProxy)
      for (int watchers : watches ? new int[] {1, 1000} : new int[0]) {
        double[] lat = watchLatency(http, url, watchers, 100);
        System.out.printf("%-62s p50 %6.1f ms  p99 %6.1f ms  (%d deliveries)%n",
            "watch delivery, " + watchers + " watcher" + (watchers == 1 ? "" : "s") + ", create -> ADDED",
            lat[0], lat[1], (int) lat[2]);
      }
    } finally {
      channel.shutdownNow();
    }
    System.exit(0);
  }

  private static String body(String name, int i) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"data\":{\"i\":\"" + i + "\",\"pad\":\"" + VALUE_PAD + "\"}}";
  }

  /** Raw etcd puts per second by {@code clients} threads over one gRPC channel. */
  static double rawPuts(KVGrpc.KVBlockingStub kv, int clients, Duration d, int size, String tag) throws Exception {
    ByteString value = ByteString.copyFrom(new byte[size + 150]); // about what the API stores (metadata added)
    return run(clients, d, (t, i) -> {
      kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/bench/raw/" + tag + "/" + t + "/" + i))
          .setValue(value).build());
      return true;
    });
  }

  /** Raw etcd create transactions (If mod == 0 Then put Else range, as the API's create) per second. */
  static double rawTxns(KVGrpc.KVBlockingStub kv, int clients, Duration d, int size, String tag) throws Exception {
    ByteString value = ByteString.copyFrom(new byte[size + 150]);
    return run(clients, d, (t, i) -> {
      return kv.txn(createTxn(ByteString.copyFromUtf8("/bench/txn/" + tag + "/" + t + "/" + i), value)).getSucceeded();
    });
  }

  /** The API's create transaction for {@code key}: {@code If mod == 0 Then put Else range}. */
  static TxnRequest createTxn(ByteString key, ByteString value) {
    return TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
            .setResult(Compare.CompareResult.EQUAL).setModRevision(0))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
        .build();
  }

  /** ConfigMap creates (201) per second through the API by {@code clients} threads. */
  static double creates(HttpClient http, String url, int clients, Duration d, String tag) throws Exception {
    String ns = "bench-etcd-" + tag;
    http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/namespaces")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
            + ns + "\"}}")).build(), HttpResponse.BodyHandlers.discarding());
    String path = "/api/v1/namespaces/" + ns + "/configmaps";
    RawHttp[] conns = new RawHttp[clients];
    for (int t = 0; t < clients; t++) {
      conns[t] = new RawHttp(url);
    }
    try {
      return run(clients, d, (t, i) -> conns[t].post(path, body("c-" + t + "-" + i, i)) == 201);
    } finally {
      for (RawHttp c : conns) {
        c.close();
      }
    }
  }

  interface Op {
    boolean run(int thread, int i) throws Exception;
  }

  private static double run(int clients, Duration d, Op op) throws Exception {
    AtomicLong done = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    long[] end = new long[1];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; System.nanoTime() < end[0]; i++) {
            if (op.run(id, i)) {
              done.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      th.start();
      threads.add(th);
    }
    long start = System.nanoTime();
    end[0] = start + d.toNanos();
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** p50, p99 (ms) and count of deliveries: {@code creates} ConfigMaps at about 20 /s, each seen by every watcher. */
  static double[] watchLatency(HttpClient http, String url, int watchers, int creates) throws Exception {
    String ns = "bench-etcd-watch-" + watchers;
    http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/namespaces")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
            + ns + "\"}}")).build(), HttpResponse.BodyHandlers.discarding());
    String rv = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/namespaces/" + ns + "/configmaps")).build(),
        HttpResponse.BodyHandlers.ofString()).body().replaceAll("(?s).*\"resourceVersion\":\"(\\d+)\".*", "$1");
    Map<String, Long> sent = new ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch opened = new CountDownLatch(watchers);
    List<java.util.concurrent.CompletableFuture<HttpResponse<Stream<String>>>> open = new ArrayList<>();
    for (int w = 0; w < watchers; w++) {
      open.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/api/v1/namespaces/" + ns
          + "/configmaps?watch=true&resourceVersion=" + rv)).build(), HttpResponse.BodyHandlers.ofLines())
          .thenApply(r -> {
            opened.countDown();
            Thread reader = new Thread(() -> {
              try {
                r.body().forEach(line -> {
                  long now = System.nanoTime();
                  int i = line.indexOf("\"name\":\"w-");
                  if (i >= 0) {
                    Long at = sent.get(line.substring(i + 8, line.indexOf('"', i + 8)));
                    if (at != null) {
                      latencies.add(now - at);
                    }
                  }
                });
              } catch (java.io.UncheckedIOException e) {
                // the round is over and its watches were closed
              }
            });
            reader.setDaemon(true);
            reader.start();
            return r;
          }));
    }
    opened.await();
    URI target = URI.create(url + "/api/v1/namespaces/" + ns + "/configmaps");
    for (int i = 0; i < creates; i++) {
      String name = "w-" + i;
      sent.put(name, System.nanoTime());
      http.send(HttpRequest.newBuilder(target).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body(name, i))).build(), HttpResponse.BodyHandlers.discarding());
      Thread.sleep(50);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (latencies.size() < (long) watchers * creates && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    for (var f : open) {
      f.thenAccept(r -> r.body().close());
    }
    long[] sorted;
    synchronized (latencies) {
      sorted = latencies.stream().mapToLong(Long::longValue).toArray();
    }
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return new double[] {Double.NaN, Double.NaN, 0};
    }
    return new double[] {sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted.length};
  }
}
