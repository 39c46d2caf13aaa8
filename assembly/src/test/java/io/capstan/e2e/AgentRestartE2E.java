package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code capstan agent} killed with SIGKILL while its node runs a Deployment, and started again
 * (root only): the running containers are adopted, not restarted (same container ids, startedAt,
 * processes, restartCount 0); a container that exited while no agent ran is reported with its real
 * exit code and time; a pod deleted meanwhile (gracefully, or by force) is terminated and leaves no
 * container, sandbox, cgroup, mount or log behind; the other pods' log files are kept and the shims keep writing them.
 */
class AgentRestartE2E {
  private static final String NODE = "capstan-e2e-restart";
  private static final String TICKER = "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done";
  private static final String EXITER = "echo started; while [ ! -f /exit-now ]; do sleep 0.2; done; echo exiting; exit 3";

  @TempDir
  Path dir;

  @Test
  void aKilledAgentAdoptsItsPodsAndCatchesUpWithWhatHappenedMeanwhile() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String cgroupRoot = "capstan-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Path data = dir.resolve("agent-data");
    NodeProcess agent = null;
    try (CapstanServer server = CapstanServer.start()) {
      NodeProcess.importImage(data, TestImages.rootfsTarball(dir, false));
      List<String> args = List.of("agent", "--kubeconfig", server.kubeconfig().toString(), "--node-name", NODE,
          "--data-dir", data.toString(), "--graph-driver", "vfs", "--cgroup-root", cgroupRoot,
          "--kubelet-port", "0", "--node-secrets-dir", server.dataDir().resolve("node-secrets").toString());
      agent = NodeProcess.start(dir.resolve("agent-1.log"), args);
      agent.awaitLine("capstan agent running node " + NODE);
      NodeState api = new NodeState(new Kubectl(server.kubeconfig()), data, agent);
      api.kubectl().runWithInput("""
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: ticker}
          spec:
            replicas: 3
            selector: {matchLabels: {app: ticker}}
            template:
              metadata: {labels: {app: ticker}}
              spec:
                nodeName: %1$s
                terminationGracePeriodSeconds: 2
                containers:
                - {name: main, image: busybox:e2e, imagePullPolicy: Never, command: [sh, -c, '%2$s']}
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: exiter}
          spec:
            nodeName: %1$s
            restartPolicy: Never
            terminationGracePeriodSeconds: 2
            containers:
            - {name: main, image: busybox:e2e, imagePullPolicy: Never, command: [sh, -c, '%3$s']}
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: forced}
          spec:
            nodeName: %1$s
            terminationGracePeriodSeconds: 2
            containers:
            - {name: main, image: busybox:e2e, imagePullPolicy: Never, command: [sleep, '3600']}
          """.formatted(NODE, TICKER, EXITER), "apply", "-f", "-").ok();
      api.await("3 ticker pods, the exiter and forced run", () -> api.running().size() == 5);
      Map<String, String> before = api.running(); // name -> "uid containerID startedAt restartCount podIP"
      String exiterUid = api.get("pod", "exiter", "{.metadata.uid}");
      String exiterId = api.containerId("exiter");
      List<String> tickers = before.keySet().stream().filter(n -> n.startsWith("ticker-")).toList();
      String deleted = tickers.get(0);
      String deletedUid = before.get(deleted).split(" ")[0];
      String forcedUid = before.get("forced").split(" ")[0];
      List<String> deletedContainers = List.of(api.containerId(deleted), api.containerId("forced"));
      api.await("the pods have written their first lines", () -> api.logOf(tickers.get(1)).contains("tick 1\n")
          && api.logOf("exiter").contains("started\n"));

      // SIGKILL: no shutdown hook; the shims and containers live on.
      assertEquals(128 + 9, agent.kill(), "the agent ended by SIGKILL");
      Map<String, Long> pids = new TreeMap<>();
      for (String pod : before.keySet()) {
        pids.put(pod, api.pid(pod));
        assertTrue(ProcessHandle.of(pids.get(pod)).isPresent(), pod + " runs without its agent");
      }
      // Meanwhile: the exiter exits 3 and a ticker pod is deleted (gracefully: the agent must end it).
      Files.writeString(Path.of("/proc/" + pids.get("exiter") + "/root/exit-now"), "");
      api.await("the exiter's shim recorded its exit", () -> Files.exists(api.state(exiterId).resolve("exit")));
      assertTrue(Files.readString(api.state(exiterId).resolve("exit")).startsWith("exit=3 "));
      api.kubectl().run("delete", "pod", deleted, "--wait=false").ok();
      // ... and one is removed by force: gone from the API, the agent finds an orphan in its runtime.
      api.kubectl().run("delete", "pod", "forced", "--force", "--grace-period=0").ok();
      long tickerLogBefore = Files.size(api.logFile(tickers.get(1)));

      agent = NodeProcess.start(dir.resolve("agent-2.log"), args);
      api.agent(agent);
      agent.awaitLine("capstan agent running node " + NODE);
      api.await("node " + NODE + " is Ready", () -> "True".equals(api.get("node", NODE,
          "{.status.conditions[?(@.type==\"Ready\")].status}")));
      api.await("the exiter is reported Failed with exit code 3", () -> "Failed 3 Error 0".equals(api.get("pod",
          "exiter", "{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}"
              + " {.status.containerStatuses[0].state.terminated.reason}"
              + " {.status.containerStatuses[0].restartCount}")));
      java.time.Instant finished = java.time.Instant.parse(Files.readString(api.state(exiterId).resolve("exit"))
          .replaceAll("(?s).*finished=(\\S+).*", "$1"));
      assertEquals(finished.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), api.get("pod", "exiter",
          "{.status.containerStatuses[0].state.terminated.finishedAt}"), "the exit time the shim recorded");
      api.await("the deleted pod is gone", () -> !api.names().contains(deleted));
      api.await("the deleted pods' containers, sandboxes, cgroups and logs are removed", () -> {
        boolean gone = deletedContainers.stream().noneMatch(id -> Files.exists(api.state(id)));
        for (String uid : List.of(deletedUid, forcedUid)) {
          gone &= !Files.exists(data.resolve("runtime/sandboxes/" + uid)) && !api.hasLogDir(uid)
              && !api.podCgroups(cgroupRoot).contains(uid);
        }
        return gone;
      });
      api.await("its replacement runs", () -> api.running().keySet().stream()
          .filter(n -> n.startsWith("ticker-")).count() == 3);
      assertEquals(List.of(), NodeProcess.mountsOf(data, deletedContainers), "the deleted pod's mounts");

      for (int i = 0; i < 25; i++) { // the new agent syncs every pod meanwhile (resync 10 s at most)
        Map<String, String> now = api.running();
        for (String pod : tickers.subList(1, tickers.size())) {
          assertEquals(before.get(pod), now.get(pod), pod + ": adopted, not restarted");
          assertTrue(ProcessHandle.of(pids.get(pod)).isPresent(), pod + ": the same process");
        }
        assertFalse(now.containsKey("exiter"), "the exiter is not restarted");
        assertFalse(now.containsKey("forced"), "the forced pod is not back");
        TimeUnit.MILLISECONDS.sleep(400);
      }
      assertEquals(exiterId, api.containerId("exiter"));
      assertEquals(List.of(exiterUid), List.of(api.get("pod", "exiter", "{.metadata.uid}")));
      String exiterLog = api.logOf("exiter");
      assertTrue(exiterLog.matches("\\S+Z stdout F started\n\\S+Z stdout F exiting\n"), exiterLog);
      api.await("the shims kept writing the tickers' logs", () -> Files.size(api.logFile(tickers.get(1)))
          > tickerLogBefore);
      assertTrue(api.logOf(tickers.get(1)).contains(" stdout F tick 0\n"), api.logOf(tickers.get(1)));
      assertTrue(api.logOf(tickers.get(2)).contains(" stdout F tick 0\n"), api.logOf(tickers.get(2)));

      // kubectl logs and exec reach the restarted agent (through the API server, on its new port)
      Kubectl.Result logs = api.kubectl().run("logs", tickers.get(1), "--tail", "1");
      assertEquals(0, logs.code(), logs.err());
      assertTrue(logs.out().startsWith("tick "), logs.out());
      assertEquals("started\nexiting\n", api.kubectl().run("logs", "exiter").ok().out());
      assertEquals("after-restart\n", api.kubectl().run("exec", tickers.get(2), "--", "echo", "after-restart")
          .ok().out());

      api.kubectl().run("delete", "deployment", "ticker").ok();
      api.kubectl().run("delete", "pod", "exiter").ok();
      api.await("the pods are gone", () -> api.names().isEmpty());
      api.await("the runtime removed its containers and sandboxes", () -> NodeProcess.isEmpty(data.resolve(
          "runtime/containers")) && NodeProcess.isEmpty(data.resolve("runtime/sandboxes"))
          && NodeProcess.isEmpty(data.resolve("logs")));
      agent.stop(); // SIGTERM: 143 after the shutdown hooks ran
      agent = null;
      assertEquals(List.of(), NodeProcess.mountsOf(data, List.of()), "mounts under the agent's data dir");
      assertEquals(List.of(), NodeProcess.shims(data), "shim processes");
      assertEquals(List.of(), PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).list(), "pod cgroups");
    } finally {
      if (agent != null) {
        agent.kill();
      }
      NodeProcess.keepOutputs(dir, "agent-restart-e2e");
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).removeAll(); // kills what a failure left
      NodeProcess.shims(data).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      PodNetworkE2E.cleanup(data);
    }
  }

  /** Reads of the API and the agent's data directory the test makes again and again. */
  private static final class NodeState {
    private final Kubectl kubectl;
    private final Path data;
    private NodeProcess agent;

    NodeState(Kubectl kubectl, Path data, NodeProcess agent) {
      this.kubectl = kubectl;
      this.data = data;
      this.agent = agent;
    }

    Kubectl kubectl() {
      return kubectl;
    }

    void agent(NodeProcess a) {
      agent = a;
    }

    String get(String kind, String name, String jsonpath) throws Exception {
      Kubectl.Result r = kubectl.run("get", kind, name, "-o", "jsonpath=" + jsonpath);
      return r.code() == 0 ? r.out().trim() : "";
    }

    /** The pods' names; fails (for {@link #await}) when kubectl does, so an error never reads as "none". */
    List<String> names() throws Exception {
      Kubectl.Result r = kubectl.run("get", "pods", "-o", "jsonpath={.items[*].metadata.name}");
      if (r.code() != 0) {
        throw new java.io.IOException("kubectl get pods: " + r.err());
      }
      String out = r.out().trim();
      return out.isEmpty() ? List.of() : List.of(out.split(" "));
    }

    /** Running pods: name -> "uid containerID startedAt restartCount podIP". */
    Map<String, String> running() throws Exception {
      Kubectl.Result r = kubectl.run("get", "pods", "-o", "jsonpath={range .items[?(@.status.phase==\"Running\")]}"
          + "{.metadata.name} {.metadata.uid} {.status.containerStatuses[0].containerID}"
          + " {.status.containerStatuses[0].state.running.startedAt}"
          + " {.status.containerStatuses[0].restartCount} {.status.podIP}{\"\\n\"}{end}");
      Map<String, String> out = new TreeMap<>();
      if (r.code() != 0) {
        return out;
      }
      for (String line : r.out().trim().split("\n")) {
        String[] f = line.trim().split(" ", 2);
        if (f.length == 2 && f[1].split(" ").length == 5 && f[1].contains("capstan://")) {
          out.put(f[0], f[1]);
        }
      }
      return out;
    }

    String containerId(String pod) throws Exception {
      return get("pod", pod, "{.status.containerStatuses[0].containerID}").substring("capstan://".length());
    }

    Path state(String containerId) {
      return data.resolve("runtime/containers").resolve(containerId);
    }

    long pid(String pod) throws Exception {
      return Long.parseLong(Files.readString(state(containerId(pod)).resolve("pid")).trim());
    }

    Path logFile(String pod) throws Exception {
      return data.resolve("logs/default_" + pod + "_" + get("pod", pod, "{.metadata.uid}") + "/main/0.log");
    }

    String logOf(String pod) throws Exception {
      Path f = logFile(pod);
      return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    boolean hasLogDir(String uid) throws Exception {
      try (var s = Files.list(data.resolve("logs"))) {
        return s.anyMatch(p -> p.getFileName().toString().endsWith("_" + uid));
      }
    }

    List<String> podCgroups(String root) throws Exception {
      return PodCgroups.open(CgroupConfig.defaults().withRoot(root)).list().stream()
          .map(PodCgroups.PodCgroup::podUid).toList();
    }

    /** Waits up to 120 s (container starts on a loaded 2-core machine) for {@code check}. */
    void await(String what, NodeProcess.Check check) throws Exception {
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < 1200; i++) {
        try {
          if (check.holds()) {
            return;
          }
        } catch (java.io.IOException e) {
          errors.add(e.toString());
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      throw new AssertionError("timed out waiting until " + what + "; errors " + errors.stream().distinct().toList()
          + "; agent output:\n" + agent.output());
    }
  }
}
