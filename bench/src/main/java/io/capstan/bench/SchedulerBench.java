package io.capstan.bench;

import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpClient.Version;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scheduler throughput against a running API server (with no scheduler of its own, e.g. {@code
 * capstan apiserver}): 100 Ready nodes, {@code pods} pending pods created while the scheduler is
 * not running, then the scheduler starts and the clock runs until a watch has seen every pod
 * bound (a raw watch that decodes nothing); a first, smaller run warms up this JVM and the API server's binding path. The baseline,
 * measured in the same run: the same number of {@code pods/binding} POSTs sent with the JDK HTTP
 * client and the scheduler's concurrency (32 in flight) to other pending pods, i.e. the API's
 * ceiling for bindings; and the same again with two pod watches open, the watch load of the
 * scheduler run.
 *
 * <p>Usage: {@code SchedulerBench URL [pods]}. Not a test: it asserts nothing.
 */
public final class SchedulerBench {
  static final int NODES = 100;
  static final int IN_FLIGHT = 32;
  static final int WARMUP_PODS = 1000;

  private SchedulerBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    Api api = new Api(java.net.http.HttpClient.newBuilder().version(Version.HTTP_1_1).build(), url);
    Config config = new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).withHttp2Disable(true).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      for (int i = 0; i < NODES; i++) {
        Node created = client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-" + i)
            .addToLabels("topology.kubernetes.io/zone", "zone-" + (i % 3)).endMetadata().build()).create();
        created.setStatus(new NodeBuilder().withNewStatus().addToAllocatable("cpu", new Quantity("64"))
            .addToAllocatable("memory", new Quantity("256Gi")).addToAllocatable("pods", new Quantity("110"))
            .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build().getStatus());
        client.nodes().resource(created).updateStatus();
      }
      // Warm-up: the same run on fewer pods, so that the measured run compares a JIT-compiled
      // scheduler (and API server binding path) with the baselines below, which run warm too.
      timeScheduler(api, client, config, "bench-warmup", WARMUP_PODS);
      Run run = timeScheduler(api, client, config, "bench-sched", pods);
      double rate = run.bound / ((run.end - run.start) / 1e9);
      double afterSync = run.bound / ((run.end - run.synced) / 1e9);
      long start = run.start;
      long synced = run.synced;

      // The baselines' pods name another scheduler, so no scheduler would touch them.
      createPods(api, "bench-bind", pods, "bench-baseline");
      double raw = rawBindings(client, "bench-bind", pods);
      // The same with the watch load the scheduler run had: the scheduler's informer (a Fabric8
      // watch, decoded in this process) and the raw counting watch.
      createPods(api, "bench-bind-watched", pods, "bench-baseline");
      Watch w1 = client.pods().inNamespace("bench-bind-watched").watch(new Counter());
      java.io.InputStream w2 = countingWatch(client, "bench-bind-watched", name -> { });
      double watched = rawBindings(client, "bench-bind-watched", pods);
      w1.close();
      w2.close();
      ApiBench.print("raw pods/binding POSTs, " + IN_FLIGHT + " in flight (API ceiling)", raw, "/s", null);
      ApiBench.print("raw pods/binding POSTs, same, 2 pod watches open", watched, "/s", null);
      ApiBench.print("scheduler: " + pods + " pods on " + NODES + " nodes, start to all bound", rate, "/s",
          String.format(java.util.Locale.ROOT, "%.0f %% of raw, %.0f %% of raw with watches; target >= 1000",
              100 * rate / raw, 100 * rate / watched));
      ApiBench.print("scheduler: same, counted from caches synced", afterSync, "/s",
          String.format(java.util.Locale.ROOT, "%.0f %% of raw, %.0f %% of raw with watches; sync took %.0f ms",
              100 * afterSync / raw, 100 * afterSync / watched, (synced - start) / 1e6));
    }
    System.exit(0);
  }

  /** One timed scheduler run: start, caches synced and end (all seen bound) in nanoseconds. */
  record Run(long start, long synced, long end, int bound) {}

  /**
   * Creates {@code pods} pending pods in {@code namespace}, starts a scheduler (its own client and
   * manager, as a controllers process holds it), waits until a watch has seen every pod bound,
   * stops the scheduler and prints the timeline.
   */
  static Run timeScheduler(Api api, KubernetesClient client, Config config, String namespace, int pods)
      throws Exception {
    createPods(api, namespace, pods, Scheduler.DEFAULT_SCHEDULER);

    // The scheduler, as a controllers process holds it: its own client and manager.
    CountDownLatch allBound = new CountDownLatch(pods);
    Set<String> bound = ConcurrentHashMap.newKeySet();
    long[] boundAt = new long[pods];
    // The counting watch reads raw lines (as WatchLagBench's baseline watchers do), so that the
    // benchmark's own observer does not decode every pod in the scheduler's JVM.
    java.io.InputStream events = countingWatch(client, namespace, name -> {
      if (bound.add(name)) {
        int n = bound.size();
        if (n <= boundAt.length) {
          boundAt[n - 1] = System.nanoTime();
        }
        allBound.countDown();
      }
    });
    KubernetesClient schedulerClient = new KubernetesClientBuilder().withConfig(config).build();
    ControllerManager manager = new ControllerManager(schedulerClient);
    manager.register(Scheduler.controller(manager));
    long start = System.nanoTime();
    manager.start();
    long synced = System.nanoTime();
    if (!allBound.await(10, TimeUnit.MINUTES)) {
      System.out.println("warning: only " + bound.size() + " of " + pods + " pods bound");
    }
    long end = System.nanoTime();
    manager.close();
    schedulerClient.close();
    events.close();
    StringBuilder timeline = new StringBuilder("bound after caches synced (ms):");
    for (int pct : new int[] {1, 10, 25, 50, 75, 90, 99, 100}) {
      int i = Math.max(0, Math.min(bound.size(), pods * pct / 100) - 1);
      timeline.append(String.format(java.util.Locale.ROOT, " %d%%=%.0f", pct, (boundAt[i] - synced) / 1e6));
    }
    System.out.println(namespace + ": " + timeline);
    return new Run(start, synced, end, bound.size());
  }

  /**
   * A raw chunked watch on the pods of {@code namespace}, read on its own thread: {@code bound}
   * gets the name of every pod an event shows with a node. Close the stream to end it.
   */
  static java.io.InputStream countingWatch(KubernetesClient client, String namespace,
      java.util.function.Consumer<String> bound) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(Version.HTTP_1_1).build();
    String base = client.getMasterUrl().toString().replaceFirst("/$", "");
    java.io.InputStream in = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + namespace
        + "/pods?watch=true")).build(), HttpResponse.BodyHandlers.ofInputStream()).body();
    Thread reader = new Thread(() -> {
      try (java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          int node = line.indexOf("\"nodeName\":\"");
          int name = line.indexOf("\"name\":\"");
          if (node >= 0 && line.charAt(node + 12) != '"' && name >= 0) {
            bound.accept(line.substring(name + 8, line.indexOf('"', name + 8)));
          }
        }
      } catch (java.io.IOException e) {
        // closed
      }
    }, "counting-watch-" + namespace);
    reader.setDaemon(true);
    reader.start();
    return in;
  }

  /** A watcher that only decodes what it receives. */
  static final class Counter implements Watcher<Pod> {
    final AtomicInteger events = new AtomicInteger();

    @Override
    public void eventReceived(Action action, Pod pod) {
      events.incrementAndGet();
    }

    @Override
    public void onClose(WatcherException cause) {
    }
  }

  static void createPods(Api api, String namespace, int total, String scheduler) throws Exception {
    api.namespace(namespace);
    AtomicInteger next = new AtomicInteger();
    Thread[] threads = new Thread[IN_FLIGHT];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        int i;
        try {
          while ((i = next.getAndIncrement()) < total) {
            api.post("/api/v1/namespaces/" + namespace + "/pods", pod("pod-" + i, scheduler));
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  static String pod(String name, String scheduler) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\"}},"
        + "\"spec\":{\"schedulerName\":\"" + scheduler + "\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"resources\":{\"requests\":"
        + "{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}";
  }

  /**
   * POSTs one binding per pod of {@code namespace}, round-robin over the nodes, from IN_FLIGHT
   * threads each blocked in the JDK HTTP client's {@code send} (HTTP/1.1), as the scheduler's binder
   * sends them for a plain kubeconfig.
   */
  static double rawBindings(KubernetesClient client, String namespace, int total) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(Version.HTTP_1_1).build();
    String base = client.getMasterUrl().toString().replaceFirst("/$", "");
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Thread[] threads = new Thread[IN_FLIGHT];
    long start = System.nanoTime();
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          String name = "pod-" + i;
          String body = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"namespace\":\"" + namespace
              + "\",\"name\":\"" + name + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-"
              + (i % NODES) + "\"}}";
          HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + namespace + "/pods/" + name + "/binding"))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
          try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2 && failed.incrementAndGet() == 1) {
              System.out.println("first failed binding: " + r.statusCode() + " " + r.body());
            }
          } catch (Exception e) {
            if (failed.incrementAndGet() == 1) {
              System.out.println("first failed binding: " + e);
            }
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      System.out.println("warning: " + failed.get() + " bindings failed");
    }
    return total / seconds;
  }
}
