package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.cgroup.PodCgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two simulated hosts (root): network namespaces A and B made by the test, joined by a veth pair
 * (192.168.250.1/24 - .2/24). A runs {@code capstan server} with its agent, B a {@code capstan agent}
 * with its own data dir and cgroup root, both with {@code --host-gw-routes true}: each routes the
 * other node's podCIDR via its InternalIP (ADR 0012). A pod on A reaches a pod on B by pod IP and
 * through a Service by name (A's DNS and
 * service rules, then the route to B).
 */
class MultiHostE2E {
  private static final String A_IP = "192.168.250.1";
  private static final String B_IP = "192.168.250.2";

  @Test
  void podOnHostAReachesPodOnHostB() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String r = UUID.randomUUID().toString().substring(0, 6);
    String nsA = "capstan-mh-a-" + r;
    String nsB = "capstan-mh-b-" + r;
    Path netnsA = Path.of("/run/netns", nsA);
    Path netnsB = Path.of("/run/netns", nsB);
    String nodeA = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    String nodeB = "capstan-mh-b";
    String cgA = "capstan-e2e-mha-" + r;
    String cgB = "capstan-e2e-mhb-" + r;
    Path dataA = Files.createTempDirectory("capstan-e2e-mha-");
    Path dataB = Files.createTempDirectory("capstan-e2e-mhb-");
    Path home = Files.createTempDirectory("capstan-e2e-mh-home-");
    int port = CapstanServer.freePort();
    CapstanProcess server = null;
    CapstanProcess agent = null;
    try {
      sh("ip", "netns", "add", nsA);
      sh("ip", "netns", "add", nsB);
      sh("ip", "link", "add", "capstan-" + r, "netns", nsA, "type", "veth", "peer", "name", "capstan-" + r,
          "netns", nsB);
      in(nsA, "ip", "link", "set", "lo", "up");
      in(nsB, "ip", "link", "set", "lo", "up");
      in(nsA, "ip", "addr", "add", A_IP + "/24", "dev", "capstan-" + r);
      in(nsB, "ip", "addr", "add", B_IP + "/24", "dev", "capstan-" + r);
      in(nsA, "ip", "link", "set", "capstan-" + r, "up");
      in(nsB, "ip", "link", "set", "capstan-" + r, "up");

      server = CapstanProcess.startIn(netnsA, "server", "--data-dir", dataA.toString(), "--listen",
          "0.0.0.0:" + port, "--node-agent", "true", "--cgroup-root", cgA, "--host-gw-routes", "true");
      server.awaitLine(l -> l.startsWith("capstan node agent running node " + nodeA), Duration.ofSeconds(120));
      Path kubeconfig = dataA.resolve("kubeconfig");
      Path kubeconfigB = dataB.resolve("kubeconfig-b");
      Files.writeString(kubeconfigB, Files.readString(kubeconfig).replaceAll("server: http://[^\\s]+",
          "server: http://" + A_IP + ":" + port));
      PodNetworkE2E.importImage(dataA);
      PodNetworkE2E.importImage(dataB);
      agent = CapstanProcess.startIn(netnsB, "agent", "--kubeconfig", kubeconfigB.toString(), "--node-name", nodeB,
          "--data-dir", dataB.toString(), "--graph-driver", "vfs", "--cgroup-root", cgB, "--host-gw-routes", "true");
      agent.awaitLine(l -> l.startsWith("capstan agent running node " + nodeB), Duration.ofSeconds(120));

      String cidrA = await(nsA, kubeconfig, home, "get", "node", nodeA, "-o", "jsonpath={.spec.podCIDR}");
      String cidrB = await(nsA, kubeconfig, home, "get", "node", nodeB, "-o", "jsonpath={.spec.podCIDR}");
      assertTrue(!cidrA.equals(cidrB), cidrA + " " + cidrB);
      // host-gw (--host-gw-routes): each agent routes the other node's podCIDR via its InternalIP
      await("A routes B's pods via B", () -> routes(nsA).contains(cidrB + " via " + B_IP));
      await("B routes A's pods via A", () -> routes(nsB).contains(cidrA + " via " + A_IP));

      kubectl(nsA, kubeconfig, home, """
          apiVersion: v1
          kind: Pod
          metadata: {name: web-b, labels: {app: web-b}}
          spec:
            nodeName: %s
            terminationGracePeriodSeconds: 1
            containers:
            - name: httpd
              image: busybox:e2e
              imagePullPolicy: Never
              command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www']
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: client-a}
          spec:
            nodeName: %s
            terminationGracePeriodSeconds: 1
            containers:
            - name: main
              image: busybox:e2e
              imagePullPolicy: Never
              command: [sleep, "3600"]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: web-b}
          spec:
            selector: {app: web-b}
            ports: [{port: 8080, targetPort: 8080}]
          """.formatted(nodeB, nodeA), "apply", "-f", "-");
      String ipB = await(nsA, kubeconfig, home, "get", "pod", "web-b", "-o", "jsonpath={.status.podIP}");
      assertTrue(ipB.startsWith(cidrB.substring(0, cidrB.lastIndexOf('.') + 1)), ipB + " in " + cidrB);
      String cid = await(nsA, kubeconfig, home, "get", "pod", "client-a", "-o",
          "jsonpath={.status.containerStatuses[0].containerID}");
      long client = PodShell.pid(dataA, cid);
      String byIp = "";
      String byName = "";
      for (int i = 0; i < 600 && !(byIp.equals("web-b") && byName.equals("web-b")); i++) {
        byIp = PodNetworkE2E.fetch(client, ipB);
        byName = PodNetworkE2E.fetch(client, "web-b");
        TimeUnit.MILLISECONDS.sleep(200);
      }
      assertEquals("web-b", byIp, "pod on A -> pod on B by IP");
      assertEquals("web-b", byName, "pod on A -> Service on B's pod by name");

      kubectl(nsA, kubeconfig, home, null, "delete", "pods", "--all", "--wait=true");
      agent.stop();
      await("B's routes go with its agent, A drops its route once B's node is deleted", () -> {
        kubectl(nsA, kubeconfig, home, null, "delete", "node", nodeB, "--ignore-not-found");
        return !routes(nsB).contains(" via ") && !routes(nsA).contains(" via ");
      });
    } finally {
      if (server != null && agent != null) {
        kubectl(nsA, dataA.resolve("kubeconfig"), home, null, "delete", "pods", "--all", "--wait=true",
            "--timeout=60s");
      }
      if (agent != null) {
        agent.stop();
      }
      if (server != null) {
        server.stop();
      }
      cleanup(nsA, dataA);
      cleanup(nsB, dataB);
      PodShell.host("ip", "netns", "del", nsA);
      PodShell.host("ip", "netns", "del", nsB);
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgA)).removeAll();
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgB)).removeAll();
      for (Path d : List.of(dataA, dataB, home)) {
        PodShell.host("rm", "-rf", "--one-file-system", d.toString());
      }
    }
  }

  private static String routes(String ns) throws Exception {
    return PodShell.host("nsenter", "--net=/run/netns/" + ns, "ip", "-4", "route", "show", "proto", "202").out();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (check.holds()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("timed out waiting until " + what);
  }

  private static void cleanup(String ns, Path data) throws Exception {
    PodShell.host("nsenter", "--net=/run/netns/" + ns, Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", System.getProperty("capstan.jar"), "agent", "cleanup", "--data-dir", data.toString());
  }

  private static void sh(String... argv) throws Exception {
    PodShell.Out o = PodShell.host(argv);
    assertEquals(0, o.code(), String.join(" ", argv) + ": " + o.out());
  }

  private static void in(String ns, String... argv) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns));
    cmd.addAll(List.of(argv));
    sh(cmd.toArray(String[]::new));
  }

  /** kubectl inside namespace {@code ns} (the API server listens there); stdin {@code input} if not null. */
  private static PodShell.Out kubectl(String ns, Path kubeconfig, Path home, String input, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns, "kubectl", "--kubeconfig",
        kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(90, TimeUnit.SECONDS);
    return new PodShell.Out(p.exitValue(), out);
  }

  /** Repeats a kubectl query until it prints something (120 s at most). */
  private static String await(String ns, Path kubeconfig, Path home, String... args) throws Exception {
    for (int i = 0; i < 600; i++) {
      PodShell.Out o = kubectl(ns, kubeconfig, home, null, args);
      if (o.code() == 0 && !o.out().isBlank()) {
        return o.out().trim();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("nothing from kubectl " + String.join(" ", args));
  }
}
