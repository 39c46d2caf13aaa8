package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a pod's containers get from {@code capstan server}'s node agent, seen through kubectl and
 * the host (root only): /proc shows only the container's own processes, containers of one image
 * do not share files, containers of one pod talk over localhost, a memory hog is OOMKilled and
 * backs off, limits are in the container's cgroup, init containers run first, deletion honours
 * the grace period; bad input (a missing command or image, a memory limit too low to start) is
 * a clear status; and after all pods are deleted no mount, cgroup or process of capstan's is left.
 * One server runs every test in order; the last one checks that nothing remains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeContainersE2E {
  private static final String IMAGE = "busybox:e2e";
  private static CapstanServer server;
  private static Kubectl kubectl;
  private static Path data;
  private static Path tmp;
  private static String cgroupRoot;
  /** Host pids of every container seen, all of which must be gone at the end. */
  private static final Set<Long> pids = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    cgroupRoot = "capstan-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    tmp = Files.createTempDirectory("capstan-e2e-images-");
    server = CapstanServer.start("--node-agent", "true", "--cgroup-root", cgroupRoot);
    data = server.dataDir();
    await("the server's node agent starts", () -> server.log().contains("capstan node agent running node " + node));
    Process imported = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("capstan.jar"), "image", "import", "--data-dir", data.toString(),
        TestImages.rootfsTarball(tmp, false).toString(), IMAGE).redirectErrorStream(true).start();
    String importOut = new String(imported.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, imported.waitFor(), importOut);
    kubectl = new Kubectl(server.kubeconfig());
    await("node " + node + " is Ready", () -> "True".equals(get("node", node,
        "{.status.conditions[?(@.type==\"Ready\")].status}")));
  }

  @AfterAll
  static void stopServer() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (cgroupRoot != null) {
        PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).removeAll();
      }
      if (tmp != null) {
        try (Stream<Path> files = Files.walk(tmp)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  @Test
  @Order(1)
  void procShowsOnlyTheContainersOwnProcesses() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: procs}
        spec:
          restartPolicy: Never
          containers:
          - name: lister
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'for p in /proc/[0-9]*; do echo "pid ${p#/proc/} $(cat $p/comm)"; done']
          - name: other
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    await("the lister exited", () -> get("pod", "procs",
        "{.status.containerStatuses[?(@.name==\"lister\")].state.terminated.exitCode}").equals("0"));
    pids.add(pid("procs", "other"));
    assertEquals("pid 1 sh\n", logLines("procs", "lister"), "the shell sees itself only, as PID 1");
    assertTrue(ProcessHandle.allProcesses().count() > 10, "the host has many more processes");
  }

  @Test
  @Order(2)
  void aFileWrittenInOneContainerIsNotInAnotherOfTheSameImage() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: files}
        spec:
          containers:
          - name: writer
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo secret > /tmp/secret && echo written && exec sleep 3600']
          - name: reader
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    await("both containers run", () -> get("pod", "files", "{.status.containerStatuses[*].state.running.startedAt}")
        .split(" ").length == 2 && logLines("files", "writer").equals("written\n"));
    long writer = pid("files", "writer");
    long reader = pid("files", "reader");
    pids.add(writer);
    pids.add(reader);
    assertEquals("secret\n", Files.readString(Path.of("/proc/" + writer + "/root/tmp/secret")));
    assertTrue(Files.isRegularFile(Path.of("/proc/" + reader + "/root/bin/busybox")), "the reader's root is the image");
    assertFalse(Files.exists(Path.of("/proc/" + reader + "/root/tmp/secret")), "the reader sees no /tmp/secret");
  }

  @Test
  @Order(3)
  void containersOfOnePodTalkOverLocalhost() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: talk}
        spec:
          containers:
          - name: server
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'while true; do echo pong-from-server | nc -l -p 8080; done']
          - name: client
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'until nc 127.0.0.1 8080 </dev/null >/tmp/o 2>/dev/null && [ -s /tmp/o ]; do sleep 0.2; done; cat /tmp/o; exec sleep 3600']
          """);
    await("the client got the server's answer", () -> logLines("talk", "client").equals("pong-from-server\n"));
    pids.add(pid("talk", "server"));
    pids.add(pid("talk", "client"));
  }

  @Test
  @Order(4)
  void limitsAreInTheContainersCgroup() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: limited}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
            resources:
              limits: {cpu: 250m, memory: 64Mi}
          """);
    await("it runs", () -> get("pod", "limited", "{.status.phase}").equals("Running"));
    long pid = pid("limited", "main");
    pids.add(pid);
    String memory = null;
    String quota = null;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
      String[] f = line.split(":", 3);
      List<String> controllers = List.of(f[1].split(","));
      if (controllers.contains("memory") || controllers.contains("cpu") || f[1].isEmpty()) {
        assertTrue(f[2].contains("/" + cgroupRoot + "/pods/"), "the container's cgroup is below the agent's: " + line);
      }
      Path dir = Path.of("/sys/fs/cgroup", f[1].isEmpty() ? "" : f[1], f[2]);
      if (f[1].isEmpty() && Files.exists(dir.resolve("memory.max"))) { // cgroup v2
        memory = Files.readString(dir.resolve("memory.max")).trim();
        quota = Files.readString(dir.resolve("cpu.max")).trim().replace(" ", "/");
      } else if (controllers.contains("memory")) {
        memory = Files.readString(dir.resolve("memory.limit_in_bytes")).trim();
      } else if (controllers.contains("cpu")) {
        quota = Files.readString(dir.resolve("cpu.cfs_quota_us")).trim() + "/"
            + Files.readString(dir.resolve("cpu.cfs_period_us")).trim();
      }
    }
    assertEquals(String.valueOf(64L << 20), memory, "memory limit");
    assertEquals("25000/100000", quota, "cpu quota/period");
  }

  @Test
  @Order(5)
  void initContainersRunFirstInOrder() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: inits}
        spec:
          initContainers:
          - name: first
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo first; sleep 1']
          - name: second
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo second; sleep 1']
          containers:
          - name: app
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo app; exec sleep 3600']
          """);
    await("the app runs", () -> logLines("inits", "app").equals("app\n"));
    pids.add(pid("inits", "app"));
    Instant first = logTime("inits", "first");
    Instant second = logTime("inits", "second");
    Instant app = logTime("inits", "app");
    assertTrue(first.plusMillis(900).isBefore(second), "second starts after first's 1 s: " + first + " " + second);
    assertTrue(second.plusMillis(900).isBefore(app), "app starts after second's 1 s: " + second + " " + app);
    String finished = get("pod", "inits", "{.status.initContainerStatuses[1].state.terminated.finishedAt}");
    String started = get("pod", "inits", "{.status.containerStatuses[0].state.running.startedAt}");
    assertFalse(Instant.parse(started).isBefore(Instant.parse(finished)), finished + " <= " + started);
    assertEquals("Completed Completed", get("pod", "inits", "{.status.initContainerStatuses[*].state.terminated.reason}"));
    assertEquals("True", get("pod", "inits", "{.status.conditions[?(@.type==\"Initialized\")].status}"));
  }

  @Test
  @Order(6)
  void aMemoryHogIsOomKilledRestartedAndBacksOff() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: hog}
        spec:
          containers:
          - name: hog
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'x=aaaaaaaa; while true; do x=$x$x; done']
            resources:
              limits: {memory: 32Mi}
          """);
    await("OOMKilled", () -> get("pod", "hog", "{.status.containerStatuses[0].lastState.terminated.reason}")
        .equals("OOMKilled"));
    assertEquals("137", get("pod", "hog", "{.status.containerStatuses[0].lastState.terminated.exitCode}"));
    await("CrashLoopBackOff in kubectl get pods", () -> {
      Kubectl.Result r = kubectl.run("get", "pods", "hog");
      return r.code() == 0 && r.out().contains("CrashLoopBackOff");
    });
    assertTrue(Integer.parseInt(get("pod", "hog", "{.status.containerStatuses[0].restartCount}")) >= 1);
    assertEquals("OOMKilled", get("pod", "hog", "{.status.containerStatuses[0].lastState.terminated.reason}"));
  }

  @Test
  @Order(7)
  void deletionHonoursTheGracePeriod() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: trapper}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'trap "sleep 3; exit 0" TERM; echo trapping; while true; do sleep 0.2; done']
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ignorer}
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    await("the trap is set", () -> logLines("trapper", "main").equals("trapping\n"));
    await("the ignorer runs", () -> get("pod", "ignorer", "{.status.phase}").equals("Running"));
    long trapper = pid("trapper", "main");
    long ignorer = pid("ignorer", "main");
    pids.add(trapper);
    pids.add(ignorer);

    long start = System.nanoTime();
    kubectl.run("delete", "pod", "trapper").ok(); // kubectl waits until the pod is gone
    long trapperMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(trapperMs >= 3000, "the TERM trap's 3 s sleep ran: deleted after " + trapperMs + " ms");
    assertTrue(trapperMs < 25_000, "well within the 30 s grace period: " + trapperMs + " ms");
    assertFalse(ProcessHandle.of(trapper).isPresent(), "the trapper's process is gone");
    assertTrue(kubectl.run("get", "pod", "trapper").err().contains("NotFound"));

    start = System.nanoTime();
    kubectl.run("delete", "pod", "ignorer").ok();
    long ignorerMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ignorerMs >= 2000, "SIGKILL only after the 2 s grace period: " + ignorerMs + " ms");
    assertTrue(ignorerMs < 20_000, "killed soon after the grace period, not after 30 s: " + ignorerMs + " ms");
    assertFalse(ProcessHandle.of(ignorer).isPresent(), "the ignorer's process is gone");
  }

  @Test
  @Order(8)
  void aCommandThatDoesNotExistIsRunContainerError() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: nocmd}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [no-such-cmd, --flag]
          """);
    await("RunContainerError", () -> get("pod", "nocmd", "{.status.containerStatuses[0].state.waiting.reason}")
        .equals("RunContainerError"));
    String message = get("pod", "nocmd", "{.status.containerStatuses[0].state.waiting.message}");
    assertTrue(message.contains("exec \"no-such-cmd\"") && message.contains("No such file or directory"), message);
  }

  @Test
  @Order(9)
  void aMissingImageIsErrImageNeverPullOrErrImagePullThenBackOff() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: never}
        spec:
          containers:
          - name: main
            image: missing:1
            imagePullPolicy: Never
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: pull}
        spec:
          containers:
          - name: main
            image: missing:1
          """);
    await("ErrImageNeverPull", () -> get("pod", "never", "{.status.containerStatuses[0].state.waiting.reason}")
        .equals("ErrImageNeverPull"));
    assertEquals("Container image \"missing:1\" is not present with pull policy of Never",
        get("pod", "never", "{.status.containerStatuses[0].state.waiting.message}"));
    await("ImagePullBackOff", () -> get("pod", "pull", "{.status.containerStatuses[0].state.waiting.reason}")
        .equals("ImagePullBackOff"));
    await("ErrImagePull came first, as an event", () -> events("pull").contains("Error: ErrImagePull"));
    assertTrue(events("pull").contains("Error: ImagePullBackOff"), events("pull"));
    assertTrue(kubectl.run("get", "pods", "never", "pull").out().contains("ErrImageNeverPull"));
  }

  @Test
  @Order(10)
  void aMemoryLimitTooLowToStartIsAClearError() throws Exception {
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: tiny}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
            resources:
              limits: {memory: 1Mi}
          """);
    // As kubelet: the pod cgroup (the pod's limit is its container's) cannot hold a sandbox, so
    // the pod stays Pending, its container waits in ContainerCreating, and a FailedCreatePodSandBox
    // event says why.
    await("a FailedCreatePodSandBox event", () -> events("tiny").contains("Failed to create pod sandbox: "));
    assertTrue(events("tiny").contains("memory limit of pod 1048576 bytes is below the minimum"), events("tiny"));
    assertEquals("Pending ContainerCreating", get("pod", "tiny",
        "{.status.phase} {.status.containerStatuses[0].state.waiting.reason}"));
    assertTrue(kubectl.run("get", "events", "--field-selector", "involvedObject.name=tiny", "-o",
        "jsonpath={.items[*].reason}").out().contains("FailedCreatePodSandBox"));
    // The agent goes on: a good pod still starts.
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: after-bad}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    await("a good pod still runs", () -> get("pod", "after-bad", "{.status.phase}").equals("Running"));
    pids.add(pid("after-bad", "main"));
  }

  @Test
  @Order(100)
  void afterDeletingAllPodsNothingOfCapstansRemains() throws Exception {
    kubectl.run("delete", "pods", "--all", "--wait=false").ok();
    await("the pods are gone", () -> get("pods", "", "{.items[*].metadata.name}").isEmpty());
    await("the runtime removed its containers and sandboxes", () -> isEmpty(data.resolve("runtime/containers"))
        && isEmpty(data.resolve("runtime/sandboxes")) && isEmpty(data.resolve("logs")));
    assertTrue(pids.size() >= 8, "containers were seen: " + pids);
    assertEquals(List.of(), pids.stream().filter(p -> ProcessHandle.of(p).isPresent()).toList(), "container processes");
    assertEquals(List.of(), shims(), "shim processes");
    assertEquals(List.of(), mounts(data.resolve("graph")).stream().filter(m -> m.contains("/containers/")).toList(),
        "container mounts");
    assertEquals(List.of(), podCgroups(), "cgroups below the agent's root in every hierarchy");
    server.stop();
    assertEquals(List.of(), mounts(data), "mounts under the data dir after the server stopped");
    assertEquals(List.of(), podCgroups(), "cgroups after the server stopped");
  }

  // ---- helpers

  private static void apply(String yaml) throws Exception {
    kubectl.runWithInput(yaml, "apply", "-f", "-").ok();
  }

  private static String get(String kind, String name, String jsonpath) throws Exception {
    List<String> args = new ArrayList<>(List.of("get", kind));
    if (!name.isEmpty()) {
      args.add(name);
    }
    args.addAll(List.of("-o", "jsonpath=" + jsonpath));
    Kubectl.Result r = kubectl.run(args.toArray(String[]::new));
    return r.code() == 0 ? r.out().trim() : "";
  }

  private static String events(String pod) throws Exception {
    return kubectl.run("get", "events", "--field-selector", "involvedObject.name=" + pod, "-o",
        "jsonpath={.items[*].message}").out();
  }

  /** The host pid of a pod's running container, from the runtime's pid file. */
  private static long pid(String pod, String container) throws Exception {
    String id = get("pod", pod, "{.status.containerStatuses[?(@.name==\"" + container + "\")].containerID}");
    assertTrue(id.startsWith("capstan://"), pod + "/" + container + ": " + id);
    Path state = data.resolve("runtime/containers").resolve(id.substring("capstan://".length()));
    return Long.parseLong(Files.readString(state.resolve("pid")).trim());
  }

  private static Path logFile(String pod, String container) throws Exception {
    String uid = get("pod", pod, "{.metadata.uid}");
    return data.resolve("logs/default_" + pod + "_" + uid + "/" + container + "/0.log");
  }

  /** The messages of a container's first CRI log, one per line ("" while there is none). */
  private static String logLines(String pod, String container) throws Exception {
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
  private static Instant logTime(String pod, String container) throws Exception {
    return Instant.parse(Files.readAllLines(logFile(pod, container)).get(0).split(" ", 2)[0]);
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Waits up to 120 s (container starts on a loaded 2-core machine) for {@code check}. */
  private static void await(String what, Check check) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (check.holds()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("timed out waiting until " + what + "; server output:\n" + server.log());
  }

  private static boolean isEmpty(Path d) throws IOException {
    if (!Files.exists(d)) {
      return true;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isEmpty();
    }
  }

  private static List<String> mounts(Path under) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(under.toString())).toList();
  }

  private static List<Long> shims() {
    String shim = data.resolve("bin/capstan-shim").toString();
    return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.startsWith(shim)).orElse(false))
        .map(ProcessHandle::pid).toList();
  }

  /**
   * Every cgroup directory below the agent's root, in every mounted hierarchy, other than the
   * root itself and its {@code pods}, {@code pods/burstable} and {@code pods/besteffort} parents.
   */
  private static List<String> podCgroups() throws IOException {
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

  private static void collect(Path dir, int depth, Set<String> parents, List<String> left) {
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
