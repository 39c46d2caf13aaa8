package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod networking end to end with {@code capstan server} on this machine (root): pods get addresses
 * of the node's podCIDR in status.podIP, reach each other and the cluster DNS (a headless Service
 * resolves to its pods, a ClusterIP Service to its address), get a resolv.conf and the service
 * environment variables, a hostPort is reached on 127.0.0.1; deleting everything leaves only the
 * node's own bridge and DNS interface, and stopping the server plus {@code capstan agent cleanup}
 * leaves nothing.
 */
class PodNetworkE2E {
  private static final String IMAGE = "busybox:e2e";
  static final String WEB = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: %d
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: httpd
              image: busybox:e2e
              imagePullPolicy: Never
              command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www']
      """;

  @TempDir
  Path dir;

  @Test
  void podsGetAddressesServicesAndDns() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    String cgroupRoot = "capstan-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    CapstanServer server = CapstanServer.start("--node-agent", "true", "--cgroup-root", cgroupRoot);
    Path data = server.dataDir();
    try {
      await("the server's node agent starts", () -> server.log().contains("capstan node agent running node " + node),
          server);
      importImage(data);
      Kubectl k = new Kubectl(server.kubeconfig());
      await("node " + node + " is Ready", () -> "True".equals(get(k, "node/" + node,
          "{.status.conditions[?(@.type==\"Ready\")].status}")), server);

      k.runWithInput(WEB.formatted(1), "apply", "-f", "-").ok();
      k.runWithInput("""
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec:
            clusterIP: 10.96.0.50
            selector: {app: web}
            ports: [{name: http, port: 8080, targetPort: 8080}]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: web-headless}
          spec:
            clusterIP: None
            selector: {app: web}
            ports: [{name: http, port: 8080}]
          """, "apply", "-f", "-").ok();
      k.runWithInput("""
          apiVersion: v1
          kind: Pod
          metadata: {name: client}
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: main
              image: busybox:e2e
              imagePullPolicy: Never
              command: [sleep, "3600"]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: hostport}
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: httpd
              image: busybox:e2e
              imagePullPolicy: Never
              command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www']
              ports: [{containerPort: 8080, hostPort: 18089}]
          """, "apply", "-f", "-").ok();
      await("the pods run", () -> get(k, "pods", "{.items[*].status.phase}").equals("Running Running Running"),
          server);
      String webIp = get(k, "pods", "-l", "app=web", "{.items[0].status.podIP}");
      String clientIp = get(k, "pod/client", "{.status.podIP}");
      String podCidr = podCidrPrefix(server, k, node);
      assertTrue(webIp.startsWith(podCidr) && clientIp.startsWith(podCidr) && !webIp.equals(clientIp),
          webIp + " " + clientIp + " in " + podCidr);
      assertEquals(clientIp, get(k, "pod/client", "{.status.podIPs[0].ip}"));

      long client = PodShell.pid(data, get(k, "pod/client", "{.status.containerStatuses[0].containerID}"));
      String webName = get(k, "pods", "-l", "app=web", "{.items[0].metadata.name}");
      // pod to pod by IP, over the bridge (once httpd listens)
      await("the client pod reaches the web pod by IP", () -> fetch(client, webIp).equals(webName), server);
      // resolv.conf of a ClusterFirst pod, bind-mounted read-only
      assertEquals("nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local"
          + hostSearch() + "\noptions ndots:5\n", PodShell.exec(client, "cat", "/etc/resolv.conf").out());
      assertTrue(PodShell.exec(client, "sh", "-c", "echo x >> /etc/resolv.conf").code() != 0, "read-only");
      // service environment variables of the Services that existed when the container started
      String env = Files.readString(Path.of("/proc/" + client + "/environ")).replace('\0', '\n');
      assertTrue(env.contains("WEB_SERVICE_HOST=10.96.0.50\n") && env.contains("WEB_SERVICE_PORT_HTTP=8080\n")
          && env.contains("WEB_PORT_8080_TCP=tcp://10.96.0.50:8080\n"), env);
      // DNS from the pod: the ClusterIP service by its short name, the headless one to its pod
      await("the web service resolves", () -> PodShell.exec(client, "nslookup", "web").out().contains("10.96.0.50"),
          server);
      await("the headless service resolves to the pod", () -> PodShell.exec(client, "nslookup",
          "web-headless.default.svc.cluster.local").out().contains(webIp), server);
      // the headless name reaches the pod
      assertEquals(webName, fetch(client, "web-headless"));

      // hostPort: reached from the host on loopback and on the node's address
      String hostIp = get(k, "pod/hostport", "{.status.hostIP}");
      assertEquals("hostport", http("127.0.0.1", 18089));
      assertEquals("hostport", http(hostIp, 18089));

      // headless with three replicas: one A record per pod
      k.runWithInput(WEB.formatted(3), "apply", "-f", "-").ok();
      await("three web pods run", () -> get(k, "pods", "-l", "app=web", "{.items[*].status.phase}")
          .equals("Running Running Running"), server);
      Set<String> webIps = new TreeSet<>(List.of(get(k, "pods", "-l", "app=web", "{.items[*].status.podIP}")
          .split(" ")));
      await("the headless service resolves to each pod", () -> resolved(client, "web-headless").equals(webIps),
          server);

      // everything deleted: only the node's bridge and DNS interface stay while the agent runs
      k.run("delete", "deployment", "web").ok();
      k.run("delete", "pod", "client", "hostport").ok();
      k.run("delete", "service", "web", "web-headless").ok();
      await("the pods are gone", () -> get(k, "pods", "{.items[*].metadata.name}").isEmpty(), server);
      Path d = data;
      await("only the node's own network objects remain", () -> nodeOnly(PodShell.traces(d)), server);
      List<String> kept = PodShell.traces(data);
      assertTrue(kept.stream().anyMatch(l -> l.startsWith("link: ") && l.contains("capstan0")), kept.toString());
      assertTrue(kept.stream().anyMatch(l -> l.startsWith("link: ") && l.contains("capstan-dns")), kept.toString());

      server.stop();
      PodShell.Out cleanup = cleanup(data);
      assertEquals(0, cleanup.code(), cleanup.out());
      assertEquals(List.of(), PodShell.traces(data), "after the server stopped and capstan agent cleanup");
    } finally {
      removeEverything(server, data);
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).removeAll();
    }
  }

  /**
   * What stays while the agent runs: capstan0 (gateway address, podCIDR route), capstan-dns
   * (10.96.0.10), the unreachable routes, portmap's shared chains, the proxy's table, the masquerade
   * table and the route
   * of the kubernetes Service.
   */
  static boolean nodeOnly(List<String> traces) {
    for (String t : traces) {
      boolean node = t.startsWith("link: ") && (t.contains(": capstan0:") || t.contains(": capstan-dns:"))
          || t.startsWith("addr: ") && (t.contains(" capstan0 ") || t.contains(" capstan-dns "))
          || t.startsWith("route: ") && (t.startsWith("route: unreachable ") || t.contains("dev capstan0"))
          // the proxy's route of the kubernetes Service's ClusterIP, and its table (empty of services)
          || t.startsWith("route: 10.96.0.1 dev capstan-dns proto 201")
          || t.equals("nft: table ip capstan")
          || t.equals("nft: table ip capstan-pods") // the node's masquerade rule
          || t.startsWith("iptables: -N CNI-HOSTPORT-") || t.startsWith("iptables: -A CNI-HOSTPORT-")
          || t.matches("iptables: -A (PREROUTING|OUTPUT|POSTROUTING) .*CNI-HOSTPORT-.*");
      if (!node) {
        return false;
      }
    }
    return true;
  }

  /** After a failure: the pods deleted through the agent (so their networks go), the server stopped, a cleanup. */
  static void removeEverything(CapstanServer server, Path data) throws Exception {
    try {
      Kubectl k = new Kubectl(server.kubeconfig());
      k.run("delete", "deployments,services,pods", "--all", "--wait=false");
      for (int i = 0; i < 600 && !get(k, "pods", "{.items[*].metadata.name}").isEmpty(); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    } catch (Exception | AssertionError e) {
      // the server is gone already
    }
    server.stop();
    PodShell.Out o = cleanup(data);
    if (o.code() != 0) {
      System.err.println("capstan agent cleanup: " + o.out());
    }
    server.close();
  }

  static PodShell.Out cleanup(Path data) throws Exception {
    return PodShell.host(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("capstan.jar"), "agent", "cleanup", "--data-dir", data.toString());
  }

  /** GET http://HOST:8080/ from inside the container with host pid {@code pid}; the body, or the error. */
  static String fetch(long pid, String host) throws Exception {
    // busybox 1.35's wget -T crashes: timeout(1) bounds it instead
    PodShell.Out o = PodShell.exec(pid, "timeout", "5", "wget", "-qO-", "http://" + host + ":8080/");
    return o.code() == 0 ? o.out().trim() : "wget failed (" + o.code() + "): " + o.out();
  }

  private static Set<String> resolved(long pid, String name) throws Exception {
    Set<String> out = new TreeSet<>();
    boolean answers = false;
    for (String l : PodShell.exec(pid, "nslookup", name).out().lines().toList()) {
      if (l.startsWith("Name:")) {
        answers = true;
      } else if (answers && l.startsWith("Address:")) {
        out.add(l.substring("Address:".length()).trim());
      }
    }
    return out;
  }

  /** The host's search domains, which follow the cluster ones. */
  private static String hostSearch() throws Exception {
    return io.capstan.node.dns.ResolvConf.host().searches().stream().map(s -> " " + s)
        .reduce("", String::concat);
  }

  private static String podCidrPrefix(CapstanServer server, Kubectl k, String node) throws Exception {
    String cidr = get(k, "node/" + node, "{.spec.podCIDR}"); // set by the node IPAM controller
    assertTrue(cidr.startsWith("10.244.") && cidr.endsWith(".0/24"), cidr);
    return cidr.substring(0, cidr.lastIndexOf('.') + 1);
  }

  static String http(String host, int port) throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
        .timeout(Duration.ofSeconds(5)).build();
    return c.send(r, HttpResponse.BodyHandlers.ofString()).body().trim();
  }

  static void importImage(Path data) throws Exception {
    Path tmp = Files.createTempDirectory("capstan-e2e-img-");
    try {
      Process imported = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          System.getProperty("capstan.jar"), "image", "import", "--data-dir", data.toString(),
          TestImages.rootfsTarball(tmp, false).toString(), IMAGE).redirectErrorStream(true).start();
      String out = new String(imported.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, imported.waitFor(), out);
    } finally {
      PodShell.host("rm", "-rf", "--one-file-system", tmp.toString());
    }
  }

  static String get(Kubectl kubectl, String what, String jsonpath) throws Exception {
    Kubectl.Result r = kubectl.run("get", what, "-o", "jsonpath=" + jsonpath);
    return r.code() == 0 ? r.out().trim() : "";
  }

  static String get(Kubectl kubectl, String kind, String flag, String selector, String jsonpath) throws Exception {
    Kubectl.Result r = kubectl.run("get", kind, flag, selector, "-o", "jsonpath=" + jsonpath);
    return r.code() == 0 ? r.out().trim() : "";
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Waits up to 120 s (container starts on a loaded 2-core machine) for {@code check}. */
  static void await(String what, Check check, CapstanServer server) throws Exception {
    for (int i = 0; i < 1200; i++) {
      if (check.holds()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("timed out waiting until " + what + "; server output:\n" + server.log());
  }
}
