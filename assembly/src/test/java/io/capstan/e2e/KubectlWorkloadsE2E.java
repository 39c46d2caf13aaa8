package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workloads end to end with the real kubectl on simulated nodes: {@code capstan server} runs the
 * controllers and the scheduler, {@code capstan simulate} runs three nodes that report their pods
 * Running and Ready. Each test uses its own namespace.
 */
class KubectlWorkloadsE2E {
  /**
   * A short node-monitor grace period so that a dead node is noticed within the test; the
   * simulated nodes renew their Leases well within it.
   */
  static final String GRACE = "6s";
  static final String RENEW = "1s";
  static CapstanServer server;
  static CapstanProcess nodes;
  static Kubectl kubectl;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    server = CapstanServer.start("--node-monitor-grace-period", GRACE);
    kubectl = new Kubectl(server.kubeconfig());
    nodes = CapstanProcess.start("simulate", "--lease-renew-interval", RENEW, "--kubeconfig",
        server.kubeconfig().toString(), "--nodes", "3");
    client = new KubernetesClientBuilder().withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(
        Files.readString(server.kubeconfig()))).build();
    await("3 Ready nodes", () -> readyNodes() == 3);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void deploymentScalesRollsWithinItsBudgetAndUndoes() throws Exception {
    ns("roll");
    kubectl.run("create", "deployment", "web", "-n", "roll", "--image=registry.local:5000/web:1", "--replicas=4").ok();
    kubectl.run("rollout", "status", "deployment/web", "-n", "roll", "--timeout=60s").ok();
    assertEquals(4, readyPods("roll", "app=web"));
    kubectl.run("scale", "deployment/web", "-n", "roll", "--replicas=6").ok();
    await("6 ready pods", () -> readyPods("roll", "app=web") == 6 && pods("roll", "app=web") == 6);
    kubectl.run("scale", "deployment/web", "-n", "roll", "--replicas=4").ok();
    await("4 pods", () -> pods("roll", "app=web") == 4);
    kubectl.run("rollout", "status", "deployment/web", "-n", "roll", "--timeout=60s").ok();

    // maxSurge 25% of 4 rounds up to 1, maxUnavailable 25% rounds down to 1.
    List<String> violations = new ArrayList<>();
    Map<String, Pod> seen = new ConcurrentHashMap<>();
    client.pods().inNamespace("roll").withLabel("app", "web").list().getItems()
        .forEach(p -> seen.put(p.getMetadata().getName(), p));
    try (Watch w = client.pods().inNamespace("roll").withLabel("app", "web").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        synchronized (violations) {
          if (action == Action.DELETED) {
            seen.remove(pod.getMetadata().getName());
          } else {
            seen.put(pod.getMetadata().getName(), pod);
          }
          long live = seen.values().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
          long available = seen.values().stream().filter(KubectlWorkloadsE2E::available).count();
          if (live > 5 || available < 3) {
            violations.add(action + " " + pod.getMetadata().getName() + ": live=" + live + " available=" + available);
          }
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      kubectl.run("set", "image", "deployment/web", "-n", "roll", "web=registry.local:5000/web:2").ok();
      kubectl.run("rollout", "status", "deployment/web", "-n", "roll", "--timeout=90s").ok();
      await("only new pods", () -> images("roll").equals(List.of("registry.local:5000/web:2")) && readyPods("roll", "app=web") == 4);
    }
    synchronized (violations) {
      assertEquals(List.of(), violations, "maxSurge 1 / maxUnavailable 1 broken during the rollout");
    }
    String history = kubectl.run("rollout", "history", "deployment/web", "-n", "roll").ok().out();
    assertTrue(history.contains("1 ") && history.contains("2 "), history);

    kubectl.run("rollout", "undo", "deployment/web", "-n", "roll").ok();
    kubectl.run("rollout", "status", "deployment/web", "-n", "roll", "--timeout=90s").ok();
    await("back on web:1", () -> images("roll").equals(List.of("registry.local:5000/web:1")) && readyPods("roll", "app=web") == 4);
    assertEquals("3", kubectl.run("get", "deployment", "web", "-n", "roll", "-o",
        "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}").ok().out());
  }

  @Test
  void deletingADeploymentCascadesInTheModeAsked() throws Exception {
    ns("cascade");
    for (String name : List.of("bg", "fg", "orphan")) {
      kubectl.run("create", "deployment", name, "-n", "cascade", "--image=registry.local:5000/web:1", "--replicas=2").ok();
      kubectl.run("rollout", "status", "deployment/" + name, "-n", "cascade", "--timeout=60s").ok();
    }
    kubectl.run("delete", "deployment", "bg", "-n", "cascade", "--cascade=background").ok();
    await("background: replica sets and pods collected", () -> pods("cascade", "app=bg") == 0 && count("rs", "cascade", "app=bg") == 0);

    // Foreground: kubectl waits until the deployment is gone, which is after its dependents.
    kubectl.run("delete", "deployment", "fg", "-n", "cascade", "--cascade=foreground", "--timeout=60s").ok();
    assertEquals(0, pods("cascade", "app=fg"), "foreground deletion left pods behind");
    assertEquals(0, count("rs", "cascade", "app=fg"));

    kubectl.run("delete", "deployment", "orphan", "-n", "cascade", "--cascade=orphan").ok();
    await("orphan: the replica set loses its owner", () -> kubectl.run("get", "rs", "-n", "cascade", "-l", "app=orphan",
        "-o", "jsonpath={.items[*].metadata.ownerReferences}").ok().out().isBlank());
    assertEquals(1, count("rs", "cascade", "app=orphan"));
    // The orphaned replica set keeps its pods (a dead node of another test may cost one a restart).
    await("the orphaned replica set keeps 2 ready pods", () -> readyPods("cascade", "app=orphan") == 2);
    assertEquals(2, pods("cascade", "app=orphan"));
  }

  @Test
  void aJobRunsToCompletion() throws Exception {
    ns("jobs");
    kubectl.run("create", "job", "once", "-n", "jobs", "--image=registry.local:5000/tool:1").ok();
    kubectl.run("wait", "--for=condition=complete", "job/once", "-n", "jobs", "--timeout=60s").ok();
    assertEquals("1", kubectl.run("get", "job", "once", "-n", "jobs", "-o", "jsonpath={.status.succeeded}").ok().out());
  }

  @Test
  void aDaemonSetCoversEveryNodeIncludingOneThatJoinsLater() throws Exception {
    ns("ds");
    kubectl.runWithInput("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: ds}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: agent, image: "registry.local:5000/agent:1"}]
        """, "apply", "-f", "-").ok();
    await("a ready agent on each of 3 nodes", () -> readyPods("ds", "app=agent") == 3 && nodesOf("ds", "app=agent").size() == 3);
    try (CapstanProcess late = CapstanProcess.start("simulate", "--lease-renew-interval", RENEW,
        "--kubeconfig", server.kubeconfig().toString(),
        "--nodes", "1", "--name-prefix", "late")) {
      await("a fourth node", () -> readyNodes() == 4);
      await("an agent on the late node", () -> readyPods("ds", "app=agent") == 4 && nodesOf("ds", "app=agent").contains("late-0"));
    }
  }

  @Test
  void podsOfANodeThatStopsHeartbeatingAreReplacedElsewhere() throws Exception {
    ns("failover");
    try (CapstanProcess doomed = CapstanProcess.start("simulate", "--lease-renew-interval", RENEW,
        "--kubeconfig", server.kubeconfig().toString(),
        "--nodes", "1", "--name-prefix", "doomed")) {
      await("the doomed node is Ready", () -> kubectl.run("get", "node", "doomed-0", "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"));
      kubectl.runWithInput("""
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: spread, namespace: failover}
          spec:
            replicas: 8
            selector: {matchLabels: {app: spread}}
            template:
              metadata: {labels: {app: spread}}
              spec:
                tolerations:
                - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
                - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
                containers: [{name: app, image: "registry.local:5000/web:1"}]
          """, "apply", "-f", "-").ok();
      kubectl.run("rollout", "status", "deployment/spread", "-n", "failover", "--timeout=60s").ok();
      await("some pods on the doomed node", () -> nodesOf("failover", "app=spread").contains("doomed-0"));
    }
    await("the doomed node is NotReady", () -> !kubectl.run("get", "node", "doomed-0", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"));
    String taints = kubectl.run("get", "node", "doomed-0", "-o", "jsonpath={.spec.taints[*].key}").ok().out();
    assertTrue(taints.contains("node.kubernetes.io/unreachable"), taints);
    await("8 ready pods elsewhere", () -> readyPods("failover", "app=spread") == 8
        && !liveNodesOf("failover", "app=spread").contains("doomed-0"));
  }

  @Test
  void anUnschedulablePodSaysWhyInDescribe() throws Exception {
    ns("sched");
    kubectl.runWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: picky, namespace: sched}
        spec:
          nodeSelector: {disktype: ssd}
          containers: [{name: app, image: "registry.local:5000/web:1"}]
        """, "apply", "-f", "-").ok();
    await("a FailedScheduling event", () -> {
      String out = kubectl.run("describe", "pod", "picky", "-n", "sched").out();
      return out.contains("FailedScheduling") && out.contains("didn't match Pod's node affinity/selector");
    });
    kubectl.run("label", "node", "sim-1", "disktype=ssd").ok();
    await("scheduled once a node matches", () -> kubectl.run("get", "pod", "picky", "-n", "sched", "-o",
        "jsonpath={.spec.nodeName}").out().equals("sim-1"));
  }

  // --- helpers ---

  static void ns(String name) throws Exception {
    kubectl.run("create", "namespace", name).ok();
  }

  static boolean available(Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static int readyNodes() throws Exception {
    String out = kubectl.run("get", "nodes", "-o",
        "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\" \"}{end}").out();
    return (int) Arrays.stream(out.trim().split("\\s+")).filter("True"::equals).count();
  }

  static int pods(String ns, String selector) {
    return (int) client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
  }

  static int readyPods(String ns, String selector) {
    return (int) client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems().stream()
        .filter(KubectlWorkloadsE2E::available).count();
  }

  static int count(String resource, String ns, String selector) throws Exception {
    String out = kubectl.run("get", resource, "-n", ns, "-l", selector, "-o", "name").ok().out().trim();
    return out.isEmpty() ? 0 : out.split("\n").length;
  }

  static List<String> images(String ns) {
    return client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(p -> p.getSpec().getContainers().get(0).getImage()).distinct().sorted().toList();
  }

  static List<String> nodesOf(String ns, String selector) {
    return client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems().stream()
        .map(p -> p.getSpec().getNodeName()).filter(n -> n != null).distinct().sorted().toList();
  }

  static List<String> liveNodesOf(String ns, String selector) {
    return client.pods().inNamespace(ns).withLabelSelector(selector).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(p -> p.getSpec().getNodeName()).filter(n -> n != null).distinct().sorted().toList();
  }

  static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what + "\nserver log tail:\n" + tail(server.log()));
  }

  static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
  }

  /** A condition polled by {@link #await}. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }
}
