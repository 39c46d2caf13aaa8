package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capstan server} with its node agent runs real containers on this machine (root only):
 * a busybox image imported with {@code capstan image import}, a Deployment applied with kubectl
 * becomes a running {@code sleep} that is PID 1 of its pid namespace and survives a server restart
 * (adopted, not restarted), a pod's hostname is its name, and deleting the pods leaves no
 * container, mount, cgroup or process behind.
 */
class NodeAgentE2E {
  private static final String IMAGE = "busybox:e2e";

  @TempDir
  Path dir;

  @Test
  void podsRunAsRealContainersAndLeaveNothingWhenDeleted() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    String cgroupRoot = "capstan-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    CgroupConfig cgroups = CgroupConfig.defaults().withRoot(cgroupRoot);
    Path[] dataDir = new Path[1];
    try (CapstanServer server = CapstanServer.start("--node-agent", "true", "--cgroup-root", cgroupRoot)) {
      Path data = server.dataDir();
      dataDir[0] = data;
      await("the server's node agent starts", () -> server.log().contains("capstan node agent running node " + node),
          server);
      Process imported = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          System.getProperty("capstan.jar"), "image", "import", "--data-dir", data.toString(),
          TestImages.rootfsTarball(dir, false).toString(), IMAGE).redirectErrorStream(true).start();
      String importOut = new String(imported.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, imported.waitFor(), importOut);
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      await("node " + node + " is Ready", () -> "True".equals(get(kubectl, "node", node,
          "{.status.conditions[?(@.type==\"Ready\")].status}")), server);

      kubectl.runWithInput("""
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: sleeper}
          spec:
            replicas: 1
            selector: {matchLabels: {app: sleeper}}
            template:
              metadata: {labels: {app: sleeper}}
              spec:
                terminationGracePeriodSeconds: 2
                containers:
                - name: main
                  image: busybox:e2e
                  imagePullPolicy: Never
                  command: [sleep, "3600"]
          """, "apply", "-f", "-").ok();
      await("the sleeper pod runs", () -> get(kubectl, "pods", "-l", "app=sleeper", "{.items[0].status.phase}")
          .equals("Running"), server);
      String containerId = get(kubectl, "pods", "-l", "app=sleeper", "{.items[0].status.containerStatuses[0].containerID}");
      assertTrue(containerId.startsWith("capstan://"), containerId);
      Path state = data.resolve("runtime/containers").resolve(containerId.substring("capstan://".length()));
      long pid = Long.parseLong(Files.readString(state.resolve("pid")).trim());
      String nspid = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("NSpid:")).findFirst().orElseThrow();
      String[] ids = nspid.split("\\s+");
      assertEquals("1", ids[ids.length - 1], "the command is PID 1 in its pid namespace: " + nspid);
      assertEquals("sleep\0" + "3600\0", Files.readString(Path.of("/proc/" + pid + "/cmdline")));

      // A restarted server's agent adopts the running container: same id, same process, no restart.
      server.restart();
      await("the restarted server's node agent starts", () -> server.log().contains("capstan node agent running node "
          + node), server);
      Kubectl again = new Kubectl(server.kubeconfig());
      await("node " + node + " is Ready again", () -> "True".equals(get(again, "node", node,
          "{.status.conditions[?(@.type==\"Ready\")].status}")), server);
      assertEquals(containerId + " 0 Running", get(again, "pods", "-l", "app=sleeper",
          "{.items[0].status.containerStatuses[0].containerID} {.items[0].status.containerStatuses[0].restartCount}"
              + " {.items[0].status.phase}"));
      for (int i = 0; i < 30; i++) { // the new agent has synced its pods meanwhile (resync 10 s at most)
        assertTrue(ProcessHandle.of(pid).isPresent(), "the container's process survived the restart");
        assertEquals(1, entries(data.resolve("runtime/containers")), "no second container");
        TimeUnit.MILLISECONDS.sleep(400);
      }
      assertEquals(containerId + " 0 Running", get(again, "pods", "-l", "app=sleeper",
          "{.items[0].status.containerStatuses[0].containerID} {.items[0].status.containerStatuses[0].restartCount}"
              + " {.items[0].status.phase}"));

      List<String> uids = new ArrayList<>();
      uids.add(get(again, "pods", "-l", "app=sleeper", "{.items[0].metadata.uid}"));
      assertEquals(uids, PodCgroups.open(cgroups).list().stream().map(PodCgroups.PodCgroup::podUid).toList(),
          "the running pod's cgroup under --cgroup-root");

      again.runWithInput("""
          apiVersion: v1
          kind: Pod
          metadata: {name: hostname-check}
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: busybox:e2e
              imagePullPolicy: Never
              command: [hostname]
          """, "apply", "-f", "-").ok();
      await("the hostname pod succeeds", () -> get(again, "pod", "hostname-check", "{.status.phase}")
          .equals("Succeeded"), server);
      String uid = get(again, "pod", "hostname-check", "{.metadata.uid}");
      uids.add(uid);
      Path log = data.resolve("logs/default_hostname-check_" + uid + "/main/0.log");
      String logText = Files.readString(log);
      assertTrue(logText.matches("\\S+Z stdout F hostname-check\n"), logText);

      again.run("delete", "deployment", "sleeper").ok();
      again.run("delete", "pod", "hostname-check").ok();
      await("the pods are gone", () -> get(again, "pods", "", "{.items[*].metadata.name}").isEmpty(), server);
      await("the runtime removed its containers and sandboxes", () -> isEmpty(data.resolve("runtime/containers"))
          && isEmpty(data.resolve("runtime/sandboxes")) && isEmpty(data.resolve("logs")), server);
      assertEquals(List.of(), containerMounts(data.resolve("graph")), "container mounts");
      assertEquals(List.of(), shims(data), "shim processes");
      assertEquals(List.of(), PodCgroups.open(cgroups).list(), "pod cgroups");
      assertEquals(2, uids.size());

      server.stop();
      assertEquals(List.of(), containerMounts(data), "mounts under the data dir after the server stopped");
      assertEquals(0, PodNetworkE2E.cleanup(data).code());
      assertEquals(List.of(), PodShell.traces(data), "pod network after capstan agent cleanup");
    } finally {
      PodCgroups.open(cgroups).removeAll(); // the root and its QoS parents, which outlive the pods
      PodNetworkE2E.cleanup(dataDir[0]); // the pod network's bridge and safety routes
    }
  }

  @Test
  void capstanAgentAloneRunsThePodsOfItsNode() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String cgroupRoot = "capstan-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Path data = dir.resolve("agent-data");
    try (CapstanServer server = CapstanServer.start()) {
      Process imported = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          System.getProperty("capstan.jar"), "image", "import", "--data-dir", data.toString(),
          TestImages.rootfsTarball(dir, false).toString(), IMAGE).redirectErrorStream(true).start();
      String importOut = new String(imported.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, imported.waitFor(), importOut);
      try (CapstanProcess agent = CapstanProcess.start("agent", "--kubeconfig", server.kubeconfig().toString(),
          "--node-name", "capstan-e2e-agent", "--data-dir", data.toString(), "--graph-driver", "vfs",
          "--cgroup-root", cgroupRoot)) {
        agent.awaitLine(l -> l.startsWith("capstan agent running node capstan-e2e-agent"),
            java.time.Duration.ofSeconds(60));
        Kubectl kubectl = new Kubectl(server.kubeconfig());
        kubectl.runWithInput("""
            apiVersion: v1
            kind: Pod
            metadata: {name: on-agent}
            spec:
              nodeName: capstan-e2e-agent
              restartPolicy: Never
              containers:
              - name: main
                image: busybox:e2e
                command: [hostname]
            """, "apply", "-f", "-").ok();
        await("the pod succeeds", () -> get(kubectl, "pod", "on-agent", "{.status.phase}").equals("Succeeded"), server);
        String uid = get(kubectl, "pod", "on-agent", "{.metadata.uid}");
        String log = Files.readString(data.resolve("logs/default_on-agent_" + uid + "/main/0.log"));
        assertTrue(log.matches("\\S+Z stdout F on-agent\n"), log);
        kubectl.run("delete", "pod", "on-agent").ok();
        await("the agent removed the pod's containers and sandbox", () -> isEmpty(data.resolve("runtime/containers"))
            && isEmpty(data.resolve("runtime/sandboxes")), server);
        agent.stop();
      }
      assertEquals(List.of(), containerMounts(data), "mounts under the agent's data dir after it stopped");
      assertEquals(List.of(), shims(data), "shim processes");
      assertEquals(0, PodNetworkE2E.cleanup(data).code());
      assertEquals(List.of(), PodShell.traces(data), "pod network after capstan agent cleanup");
    } finally {
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).removeAll();
      PodNetworkE2E.cleanup(data);
    }
  }

  private static String get(Kubectl kubectl, String kind, String name, String jsonpath) throws Exception {
    List<String> args = new ArrayList<>(List.of("get", kind));
    if (!name.isEmpty()) {
      args.add(name);
    }
    args.addAll(List.of("-o", "jsonpath=" + jsonpath));
    Kubectl.Result r = kubectl.run(args.toArray(String[]::new));
    return r.code() == 0 ? r.out().trim() : "";
  }

  private static String get(Kubectl kubectl, String kind, String selectorFlag, String selector, String jsonpath)
      throws Exception {
    Kubectl.Result r = kubectl.run("get", kind, selectorFlag, selector, "-o", "jsonpath=" + jsonpath);
    return r.code() == 0 ? r.out().trim() : "";
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Waits up to 120 s (container starts on a loaded 2-core machine) for {@code check}. */
  private static void await(String what, Check check, CapstanServer server) throws Exception {
    for (int i = 0; i < 1200; i++) {
      if (check.holds()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("timed out waiting until " + what + "; server output:\n" + server.log());
  }

  private static long entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  private static boolean isEmpty(Path d) throws IOException {
    if (!Files.exists(d)) {
      return true;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isEmpty();
    }
  }

  private static List<String> containerMounts(Path under) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(under.toString()) && (m.contains("/containers/") || !under.endsWith("graph")))
        .toList();
  }

  private static List<Long> shims(Path data) {
    String shim = data.resolve("bin/capstan-shim").toString();
    return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.startsWith(shim)).orElse(false))
        .map(ProcessHandle::pid).toList();
  }
}
