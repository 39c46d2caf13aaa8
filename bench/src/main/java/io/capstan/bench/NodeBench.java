package io.capstan.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node agent on this machine ({@code capstan server} with its agent, busybox imported as
 * {@code busybox:bench}), root only:
 * <ol>
 *   <li>{@code pods} pods one after another: create, then Running as seen by a watch; p50, p99,
 *       and the median timeline of a pod from the runtime's state files (bound, sandbox record,
 *       holder started, image resolved, container record, process exec'd, Running seen);</li>
 *   <li>{@code pods} pods created at once (32 in flight): until a watch has seen all Running;</li>
 *   <li>the shim: {@code capstan-shim run --rootfs ROOTFS -- /bin/true} from start to exit,
 *       against {@code /bin/true} and {@code busybox true} started by ProcessBuilder without
 *       namespaces, in the same run;</li>
 *   <li>the RSS and PSS ({@code /proc/<pid>/smaps_rollup}) of every capstan-shim process while
 *       the {@code pods} pods of step 2 run, per pod.</li>
 * </ol>
 * A warm-up of {@code warmup} pods one after another comes first (10 unless given; at most the
 * node's 110 pods). Every pod is deleted at the end.
 *
 * <p>Usage: {@code NodeBench URL DATA_DIR ROOTFS [pods [warmup]]}. Not a test: it asserts nothing.
 */
public final class NodeBench {
  static final int IN_FLIGHT = 32;
  static final int LAUNCHES = 200;

  private NodeBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path data = Path.of(args[1]);
    Path rootfs = Path.of(args[2]);
    int pods = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    Config config = new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).withHttp2Disable(true)
        .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      awaitNodeReady(client);
      sequential(client, data, "bench-warmup", warmup, false);
      deleteAll(client, data, "bench-warmup");
      sequential(client, data, "bench-seq", pods, true);
      deleteAll(client, data, "bench-seq");
      burst(client, "bench-burst", pods);
      memory(data, pods);
      deleteAll(client, data, "bench-burst");
    }
    launches(data.resolve("bin/capstan-shim"), rootfs);
    System.exit(0);
  }

  /** Creates pods one after the other, each once the previous was seen Running. */
  static void sequential(KubernetesClient client, Path data, String ns, int total, boolean print) throws Exception {
    namespace(client, ns);
    RunningWatch seen = new RunningWatch();
    double[] ms = new double[total];
    List<long[]> steps = new ArrayList<>();
    try (Watch w = client.pods().inNamespace(ns).watch(seen)) {
      for (int i = 0; i < total; i++) {
        String name = "p" + i;
        Instant created = Instant.now();
        long start = System.nanoTime();
        client.pods().inNamespace(ns).resource(pod(name)).create();
        Pod running = seen.await(name);
        ms[i] = (seen.runningAt.get(name) - start) / 1e6;
        steps.add(timeline(data, running, created, seen.boundAt.get(name) - start, seen.runningAt.get(name) - start));
      }
    }
    if (!print) {
      return;
    }
    Arrays.sort(ms);
    ApiBench.print(total + " pods one after another: create -> Running (watch), p50", pct(ms, 50), "ms",
        "target <= 60 ms");
    ApiBench.print(total + " pods one after another: create -> Running (watch), p99", pct(ms, 99), "ms",
        "target <= 150 ms; max " + fmt(ms[ms.length - 1]));
    String[] labels = {"bound (watch)", "sandbox record written", "pod cgroup made, sandbox shim started",
        "sandbox holder up", "image resolved, container dir", "container record (rootfs, spec)",
        "container cgroup made, shim started", "container process exec'd", "Running seen (watch)"};
    System.out.println("median timeline of a pod, ms after create (from the runtime's state file mtimes):");
    for (int s = 0; s < labels.length; s++) {
      int step = s;
      double[] v = steps.stream().mapToDouble(t -> t[step] / 1e6).sorted().toArray();
      System.out.printf(Locale.ROOT, "  %-34s p50 %7.1f   p90 %7.1f%n", labels[s], pct(v, 50), pct(v, 90));
    }
  }

  /** Nanoseconds after create of each step of one pod, from the watch and the state files. */
  static long[] timeline(Path data, Pod pod, Instant created, long bound, long running) throws IOException {
    Path sandbox = data.resolve("runtime/sandboxes").resolve(pod.getMetadata().getUid());
    String id = pod.getStatus().getContainerStatuses().get(0).getContainerID().replace("capstan://", "");
    Path container = data.resolve("runtime/containers").resolve(id);
    return new long[] {bound, since(created, sandbox.resolve("sandbox.json")),
        since(created, sandbox.resolve("shim.pid")),
        since(created, sandbox.resolve("pid")), since(created, container.resolve("image-id")),
        since(created, container.resolve("container.json")), since(created, container.resolve("shim.pid")),
        since(created, container.resolve("pid")), running};
  }

  static long since(Instant created, Path file) throws IOException {
    Instant t = Files.getLastModifiedTime(file).toInstant();
    return (t.getEpochSecond() - created.getEpochSecond()) * 1_000_000_000L + t.getNano() - created.getNano();
  }

  /** Creates {@code total} pods at once; prints the time until all were seen Running. */
  static void burst(KubernetesClient client, String ns, int total) throws Exception {
    namespace(client, ns);
    RunningWatch seen = new RunningWatch();
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try (Watch w = client.pods().inNamespace(ns).watch(seen)) {
      long start = System.nanoTime();
      List<Future<?>> creates = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        String name = "p" + i;
        creates.add(pool.submit(() -> client.pods().inNamespace(ns).resource(pod(name)).create()));
      }
      for (Future<?> f : creates) {
        f.get();
      }
      double createdMs = (System.nanoTime() - start) / 1e6;
      for (int i = 0; i < total; i++) {
        seen.await("p" + i);
      }
      long[] at = seen.runningAt.values().stream().mapToLong(Long::longValue).sorted().toArray();
      ApiBench.print(total + " pods at once: create -> all Running (watch)", (at[at.length - 1] - start) / 1e6, "ms",
          String.format(Locale.ROOT, "target <= 3000 ms; all created after %.0f ms, half Running after %.0f ms",
              createdMs, (at[at.length / 2] - start) / 1e6));
    } finally {
      pool.shutdownNow();
    }
  }

  /** RSS and PSS of every capstan-shim process (container shims, sandbox shims and holders), per pod. */
  static void memory(Path data, int pods) throws IOException {
    Path shim = data.resolve("bin/capstan-shim").toRealPath();
    long rss = 0;
    long pss = 0;
    int procs = 0;
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      for (Path p : dirs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (!Files.readSymbolicLink(p.resolve("exe")).equals(shim)) {
            continue;
          }
          for (String line : Files.readAllLines(p.resolve("smaps_rollup"))) {
            if (line.startsWith("Rss:")) {
              rss += kb(line);
            } else if (line.startsWith("Pss:")) {
              pss += kb(line);
            }
          }
          procs++;
        } catch (IOException e) {
          // gone or not ours
        }
      }
    }
    ApiBench.print("capstan-shim processes per pod (" + pods + " pods running)", procs / (double) pods, "", null);
    ApiBench.print("capstan-shim RSS per pod", rss / (double) pods, "kB", "sum of the shim processes' Rss / pods");
    ApiBench.print("capstan-shim PSS per pod", pss / (double) pods, "kB", "conmon is about 370 kB PSS");
  }

  static long kb(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  /** start -> exit of /bin/true in a new container by the shim, and without namespaces. */
  static void launches(Path shim, Path rootfs) throws Exception {
    List<String> container = List.of(shim.toString(), "run", "--rootfs", rootfs.toString(), "--", "/bin/true");
    double[] plain = time(List.of("/bin/true"));
    double[] busybox = time(List.of("/bin/busybox", "true"));
    double[] shimmed = time(container);
    ApiBench.print("baseline: /bin/true by ProcessBuilder, start -> exit, p50", pct(plain, 50), "ms",
        "p99 " + fmt(pct(plain, 99)));
    ApiBench.print("baseline: busybox true by ProcessBuilder, start -> exit, p50", pct(busybox, 50), "ms",
        "p99 " + fmt(pct(busybox, 99)));
    ApiBench.print("capstan-shim run (pid, mount, uts, ipc, net, cgroup ns; pivot_root), /bin/true, p50",
        pct(shimmed, 50), "ms", String.format(Locale.ROOT, "p99 %s; %.1fx /bin/true, +%.1f ms",
            fmt(pct(shimmed, 99)), pct(shimmed, 50) / pct(plain, 50), pct(shimmed, 50) - pct(plain, 50)));
  }

  static double[] time(List<String> command) throws Exception {
    for (int i = 0; i < 20; i++) {
      run(command); // warm-up
    }
    double[] ms = new double[LAUNCHES];
    for (int i = 0; i < LAUNCHES; i++) {
      long start = System.nanoTime();
      run(command);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command + " exited " + p.exitValue());
    }
  }

  /** Deletes the namespace's pods and waits until the runtime has no container or sandbox left. */
  static void deleteAll(KubernetesClient client, Path data, String ns) throws Exception {
    long start = System.nanoTime();
    client.pods().inNamespace(ns).delete();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && (!client.pods().inNamespace(ns).list().getItems().isEmpty()
        || !empty(data.resolve("runtime/containers")) || !empty(data.resolve("runtime/sandboxes")))) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
    System.out.printf(Locale.ROOT, "%s: pods deleted and their containers and sandboxes removed in %.1f s%n", ns,
        (System.nanoTime() - start) / 1e9);
  }

  static boolean empty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  static void namespace(KubernetesClient client, String ns) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(existing -> existing.update());
  }

  static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(0L)
        .addNewContainer().withName("c").withImage("busybox:bench").withImagePullPolicy("Never")
        .withCommand("sleep", "3600").endContainer().endSpec().build();
  }

  static void awaitNodeReady(KubernetesClient client) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (client.nodes().list().getItems().stream().anyMatch(DeploymentBench::ready)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("no Ready node");
  }

  static double pct(double[] sorted, int p) {
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
  }

  static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.1f ms", ms);
  }

  /** Remembers when each pod was first seen bound and first seen Running. */
  static final class RunningWatch implements Watcher<Pod> {
    final Map<String, Long> boundAt = new ConcurrentHashMap<>();
    final Map<String, Long> runningAt = new ConcurrentHashMap<>();
    final Map<String, Pod> running = new ConcurrentHashMap<>();

    @Override
    public void eventReceived(Action action, Pod pod) {
      long now = System.nanoTime();
      String name = pod.getMetadata().getName();
      if (pod.getSpec().getNodeName() != null) {
        boundAt.putIfAbsent(name, now);
      }
      if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()) && !running.containsKey(name)) {
        runningAt.put(name, now);
        synchronized (this) {
          running.put(name, pod);
          notifyAll();
        }
      }
    }

    synchronized Pod await(String name) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!running.containsKey(name)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new IllegalStateException("pod " + name + " not Running after 2 min");
        }
        wait(left);
      }
      return running.get(name);
    }

    @Override
    public void onClose(WatcherException cause) {
    }
  }
}
