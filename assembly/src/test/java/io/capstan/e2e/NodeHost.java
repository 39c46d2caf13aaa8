package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code capstan server} with its node agent on this machine (own data dir and cgroup root),
 * busybox imported as {@code busybox:e2e}, and what the node E2E tests look at: kubectl, the
 * runtime's state and log files, the host's processes, mounts and cgroups. {@link #close()} stops
 * the server and removes the cgroup root and the data dir.
 */
final class NodeHost implements AutoCloseable {
  static final String IMAGE = "busybox:e2e";
  final CapstanServer server;
  final Kubectl kubectl;
  final Path data;
  final String cgroupRoot;
  private final Path tmp;
  /** Host pids of every container seen, all of which must be gone at the end. */
  final Set<Long> pids = ConcurrentHashMap.newKeySet();

  private NodeHost(CapstanServer server, String cgroupRoot, Path tmp) throws IOException {
    this.server = server;
    this.cgroupRoot = cgroupRoot;
    this.tmp = tmp;
    this.data = server.dataDir();
    this.kubectl = new Kubectl(server.kubeconfig());
  }

  static NodeHost start() throws Exception {
    String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    String cgroupRoot = "capstan-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Path tmp = Files.createTempDirectory("capstan-e2e-images-");
    CapstanServer server = CapstanServer.start("--node-agent", "true", "--cgroup-root", cgroupRoot);
    NodeHost h = new NodeHost(server, cgroupRoot, tmp);
    try {
      h.await("the server's node agent starts",
          () -> h.server.log().contains("capstan node agent running node " + node));
      Process imported = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          System.getProperty("capstan.jar"), "image", "import", "--data-dir", h.data.toString(),
          TestImages.rootfsTarball(tmp, false).toString(), IMAGE).redirectErrorStream(true).start();
      String importOut = new String(imported.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, imported.waitFor(), importOut);
      h.await("node " + node + " is Ready", () -> "True".equals(h.get("node", node,
          "{.status.conditions[?(@.type==\"Ready\")].status}")));
      return h;
    } catch (Exception | AssertionError e) {
      h.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      removePodsLeft();
      server.close();
    } finally {
      // The agent's pod network (capstan0, its routes and rules) outlives the server, as on a real
      // node; the next test's server would find the bridge with this one's address.
      PodNetworkE2E.cleanup(data);
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).removeAll();
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Whatever a test class left (a failed test, or a class without a final clean-up test): every pod
   * is deleted and the runtime given up to 60 s to remove its containers, sandboxes, shims and
   * mounts while the agent still runs. The containers' holders outlive the agent by design, so
   * stopping the server first would leave them behind.
   */
  private void removePodsLeft() throws Exception {
    if (isEmpty(data.resolve("runtime/containers")) && isEmpty(data.resolve("runtime/sandboxes"))) {
      return;
    }
    if (kubectl.run("delete", "pods", "--all", "--all-namespaces", "--wait=false", "--grace-period=1").code() != 0) {
      return; // the server is gone already
    }
    for (int i = 0; i < 600; i++) {
      if (isEmpty(data.resolve("runtime/containers")) && isEmpty(data.resolve("runtime/sandboxes"))) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /**
   * Deletes every pod, waits until the runtime holds nothing, and checks that no container process
   * seen, shim, container mount or cgroup below the agent's root (in every hierarchy) remains; then
   * stops the server and checks that no mount under the data dir remains.
   */
  void assertNothingLeftAfterDeletingAllPods(int containersSeen) throws Exception {
    kubectl.run("delete", "pods", "--all", "--wait=false").ok();
    await("the pods are gone", () -> get("pods", "", "{.items[*].metadata.name}").isEmpty());
    await("the runtime removed its containers and sandboxes", () -> isEmpty(data.resolve("runtime/containers"))
        && isEmpty(data.resolve("runtime/sandboxes")) && isEmpty(data.resolve("logs")));
    assertTrue(pids.size() >= containersSeen, "containers were seen: " + pids);
    assertEquals(List.of(), pids.stream().filter(p -> ProcessHandle.of(p).isPresent()).toList(), "container processes");
    assertEquals(List.of(), shims(), "shim processes");
    assertEquals(List.of(), mounts(data.resolve("graph")).stream().filter(m -> m.contains("/containers/")).toList(),
        "container mounts");
    assertEquals(List.of(), podCgroups(), "cgroups below the agent's root in every hierarchy");
    server.stop();
    assertEquals(List.of(), mounts(data), "mounts under the data dir after the server stopped");
    assertEquals(List.of(), podCgroups(), "cgroups after the server stopped");
  }

  void apply(String yaml) throws Exception {
    kubectl.runWithInput(yaml, "apply", "-f", "-").ok();
  }

  String get(String kind, String name, String jsonpath) throws Exception {
    List<String> args = new ArrayList<>(List.of("get", kind));
    if (!name.isEmpty()) {
      args.add(name);
    }
    args.addAll(List.of("-o", "jsonpath=" + jsonpath));
    Kubectl.Result r = kubectl.run(args.toArray(String[]::new));
    return r.code() == 0 ? r.out().trim() : "";
  }

  String events(String pod) throws Exception {
    return kubectl.run("get", "events", "--field-selector", "involvedObject.name=" + pod, "-o",
        "jsonpath={.items[*].message}").out();
  }

  /** The host pid of a pod's running container, from the runtime's pid file. */
  long pid(String pod, String container) throws Exception {
    String id = get("pod", pod, "{.status.containerStatuses[?(@.name==\"" + container + "\")].containerID}");
    assertTrue(id.startsWith("capstan://"), pod + "/" + container + ": " + id);
    Path state = data.resolve("runtime/containers").resolve(id.substring("capstan://".length()));
    return Long.parseLong(Files.readString(state.resolve("pid")).trim());
  }

  Path logFile(String pod, String container) throws Exception {
    String uid = get("pod", pod, "{.metadata.uid}");
    return data.resolve("logs/default_" + pod + "_" + uid + "/" + container + "/0.log");
  }

  /** The messages of a container's first CRI log, one per line ("" while there is none). */
  String logLines(String pod, String container) throws Exception {
    Path log = logFile(pod, container);
    if (!Files.exists(log)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ", 4);
      sb.append(f.length == 4 ? f[3] : "").append('\n');
    }
    return sb.toString();
  }

  /** The timestamp of a container's first log line. */
  Instant logTime(String pod, String container) throws Exception {
    return Instant.parse(Files.readAllLines(logFile(pod, container)).get(0).split(" ", 2)[0]);
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Waits up to 120 s (container starts on a loaded 2-core machine) for {@code check}. */
  void await(String what, Check check) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (check.holds()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("timed out waiting until " + what + "; server output:\n" + server.log());
  }

  boolean isEmpty(Path d) throws IOException {
    if (!Files.exists(d)) {
      return true;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isEmpty();
    }
  }

  List<String> mounts(Path under) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(under.toString())).toList();
  }

  List<Long> shims() {
    String shim = data.resolve("bin/capstan-shim").toString();
    return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.startsWith(shim)).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  /**
   * Every cgroup directory below the agent's root, in every mounted hierarchy, other than the
   * root itself and its {@code pods}, {@code pods/burstable} and {@code pods/besteffort} parents.
   */
  List<String> podCgroups() throws IOException {
    Set<String> parents = Set.of("", "pods", "pods/burstable", "pods/besteffort");
    List<String> left = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      String type = f[dash + 1];
      if (!type.equals("cgroup") && !type.equals("cgroup2")) {
        continue;
      }
      collect(Path.of(f[4]), 0, parents, left);
    }
    return left;
  }

  private void collect(Path dir, int depth, Set<String> parents, List<String> left) {
    String s = dir.toString();
    int at = s.indexOf("/" + cgroupRoot);
    if (at >= 0) {
      String rel = s.substring(at + 1 + cgroupRoot.length()).replaceFirst("^/", "");
      if (!parents.contains(rel)) {
        left.add(s);
      }
    } else if (depth > 8) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path c : children.filter(d -> Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
        collect(c, depth + 1, parents, left);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // removed meanwhile
    }
  }
}
