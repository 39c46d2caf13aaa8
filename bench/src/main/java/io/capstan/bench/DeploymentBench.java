package io.capstan.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A 1,000-replica Deployment on simulated nodes, from create to all pods Ready, against a baseline
 * measured in the same run on the same nodes: the benchmark itself creates the same number of
 * pods already bound to the nodes (no controllers, no scheduler on their path), 32 at a time, and
 * times them to Ready. A smaller deployment first warms the processes up (its time is printed too).
 * Then the steady-state CPU of the controllers, simulator and API server
 * processes over 30 s.
 *
 * <p>Usage: {@code DeploymentBench URL NODES REPLICAS [name=PID ...]}. Not a test: it asserts
 * nothing.
 */
public final class DeploymentBench {
  static final int IN_FLIGHT = 32;

  private DeploymentBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int nodes = Integer.parseInt(args[1]);
    int replicas = Integer.parseInt(args[2]);
    Config config = new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).withHttp2Disable(true).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      List<String> names = List.of();
      while (names.size() < nodes && System.nanoTime() < deadline) {
        names = client.nodes().list().getItems().stream().filter(DeploymentBench::ready)
            .map(n -> n.getMetadata().getName()).sorted().toList();
        TimeUnit.MILLISECONDS.sleep(200);
      }
      if (names.size() < nodes) {
        throw new IllegalStateException("only " + names.size() + " of " + nodes + " nodes Ready");
      }
      // A first, smaller deployment warms every process (JIT, caches, connections), so that
      // the two figures compare the paths rather than who ran first on cold JVMs.
      double warmup = deployment(client, "bench-warmup", replicas / 5);
      ApiBench.print("warm-up: deployment of " + replicas / 5 + " on cold processes, create to all Ready", warmup, "ms", null);
      double direct = directPods(client, names, replicas);
      double deployment = deployment(client, "bench-deploy", replicas);
      ApiBench.print("baseline: " + replicas + " pre-bound pods, create to all Ready", direct, "ms", null);
      ApiBench.print("deployment of " + replicas + " on " + nodes + " nodes, create to all Ready", deployment, "ms",
          String.format(Locale.ROOT, "%.2fx the baseline; target <= 10000 ms", deployment / direct));
    }
    if (args.length > 3) {
      TimeUnit.SECONDS.sleep(10);
      long[] before = new long[args.length - 3];
      for (int i = 3; i < args.length; i++) {
        before[i - 3] = cpuTicks(args[i].split("=")[1]);
      }
      long start = System.nanoTime();
      TimeUnit.SECONDS.sleep(30);
      double seconds = (System.nanoTime() - start) / 1e9;
      for (int i = 3; i < args.length; i++) {
        String[] nameAndPid = args[i].split("=");
        double used = (cpuTicks(nameAndPid[1]) - before[i - 3]) / 100.0;
        ApiBench.print("steady state CPU over 30 s: " + nameAndPid[0], 100 * used / seconds, "%",
            "of one core, with " + replicas + " pods Running");
      }
    }
    System.exit(0);
  }

  /** Creates {@code total} pods bound round-robin to {@code nodes}; ms until all are Ready. */
  static double directPods(KubernetesClient client, List<String> nodes, int total) throws Exception {
    String ns = "bench-direct";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    ReadyCounter ready = new ReadyCounter(total);
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try (Watch w = client.pods().inNamespace(ns).watch(ready)) {
      long start = System.nanoTime();
      Future<?>[] creates = new Future<?>[total];
      for (int i = 0; i < total; i++) {
        int n = i;
        creates[i] = pool.submit(() -> client.pods().inNamespace(ns).resource(new PodBuilder()
            .withNewMetadata().withName("direct-" + n).addToLabels("app", "direct").endMetadata()
            .withNewSpec().withNodeName(nodes.get(n % nodes.size()))
            .addNewContainer().withName("c").withImage("registry.local:5000/web:1").endContainer().endSpec().build())
            .create());
      }
      for (Future<?> f : creates) {
        f.get();
      }
      System.out.printf(Locale.ROOT, "baseline: %d pods created in %.0f ms%n", total, (System.nanoTime() - start) / 1e6);
      ready.await();
      return (System.nanoTime() - start) / 1e6;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Creates a Deployment of {@code replicas}; ms until all of its pods are Ready. */
  static double deployment(KubernetesClient client, String ns, int replicas) throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    ReadyCounter ready = new ReadyCounter(replicas);
    try (Watch w = client.pods().inNamespace(ns).watch(ready)) {
      long start = System.nanoTime();
      client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
          .withNewMetadata().withName("web").endMetadata()
          .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
          .withNewSpec().addNewContainer().withName("web").withImage("registry.local:5000/web:1").endContainer()
          .endSpec().endTemplate().endSpec().build()).create();
      ready.await();
      return (System.nanoTime() - start) / 1e6;
    }
  }

  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Counts pods seen Ready by a watch until {@code total} have been. */
  static final class ReadyCounter implements Watcher<Pod> {
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private final CountDownLatch all;
    private final int total;
    private final long start = System.nanoTime();
    /** When the last pod was first seen, first seen bound, and first seen Ready (ns since start). */
    private volatile long lastCreated;
    private volatile long lastBound;

    ReadyCounter(int total) {
      this.all = new CountDownLatch(total);
      this.total = total;
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
      String name = pod.getMetadata().getName();
      if (created.add(name) && created.size() == total) {
        lastCreated = System.nanoTime() - start;
      }
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node != null && !node.isEmpty() && bound.add(name) && bound.size() == total) {
        lastBound = System.nanoTime() - start;
      }
      boolean isReady = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus()
          .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (isReady && ready.add(pod.getMetadata().getName())) {
        all.countDown();
      }
    }

    @Override
    public void onClose(WatcherException cause) {}

    void await() throws InterruptedException {
      if (!all.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + ready.size() + " pods Ready after 10 minutes");
      }
      System.out.printf(Locale.ROOT, "  watch saw the last pod created at %.0f ms, bound at %.0f ms, Ready at %.0f ms%n",
          lastCreated / 1e6, lastBound / 1e6, (System.nanoTime() - start) / 1e6);
    }
  }

  /** utime + stime of process {@code pid}, in clock ticks (USER_HZ, 100 on Linux). */
  static long cpuTicks(String pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
