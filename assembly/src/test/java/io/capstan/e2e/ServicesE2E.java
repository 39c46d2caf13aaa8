package io.capstan.e2e;

import static io.capstan.e2e.PodNetworkE2E.await;
import static io.capstan.e2e.PodNetworkE2E.fetch;
import static io.capstan.e2e.PodNetworkE2E.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.cgroup.PodCgroups;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Services end to end with {@code capstan server} on this machine (root): a ClusterIP Service is
 * reached from a pod by name (cluster DNS) and by address (the node's nftables rules), spreads
 * over three replicas, stops sending to a pod whose readiness probe fails; a NodePort is reached
 * from the host on the node address and a ClusterIP from a host process (through the proxy's
 * /32 route past the unreachable safety route); a Service without endpoints refuses at once; the
 * API server refuses a clusterIP outside the range or taken and a duplicate nodePort; deleting
 * everything leaves only the node's own objects, and a stop plus {@code capstan agent cleanup}
 * leaves nothing.
 */
class ServicesE2E {
  /** The web Deployment, ready while its page is there (an httpGet readiness probe). */
  static final String WEB = PodNetworkE2E.WEB.replace("-h /www']\n", "-h /www']\n"
      + "        readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1, failureThreshold: 1}\n");

  @Test
  void clusterIpNodePortReadinessAndBadInput() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    String cgroupRoot = "capstan-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    CapstanServer server = CapstanServer.start("--node-agent", "true", "--cgroup-root", cgroupRoot);
    Path data = server.dataDir();
    try {
      await("the server's node agent starts", () -> server.log().contains("capstan node agent running node " + node),
          server);
      PodNetworkE2E.importImage(data);
      Kubectl k = new Kubectl(server.kubeconfig());
      await("node " + node + " is Ready", () -> "True".equals(get(k, "node/" + node,
          "{.status.conditions[?(@.type==\"Ready\")].status}")), server);
      assertTrue(WEB.contains("readinessProbe"), WEB);
      k.runWithInput(WEB.formatted(1), "apply", "-f", "-").ok();
      k.runWithInput("""
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec:
            selector: {app: web}
            ports: [{name: http, port: 8080, targetPort: 8080}]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: web-np}
          spec:
            type: NodePort
            selector: {app: web}
            ports: [{port: 8080, targetPort: 8080}]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: nothing}
          spec:
            selector: {app: nothing}
            ports: [{port: 8080}]
          ---
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
          """, "apply", "-f", "-").ok();
      await("the pods run", () -> get(k, "pods", "{.items[*].status.phase}").equals("Running Running"), server);
      String clusterIp = get(k, "service/web", "{.spec.clusterIP}");
      String[] octets = clusterIp.split("\\.");
      assertTrue(octets.length == 4 && octets[0].equals("10") && Integer.parseInt(octets[1]) >= 96
          && Integer.parseInt(octets[1]) <= 111 && !clusterIp.equals("10.96.0.10"), "in 10.96.0.0/12: " + clusterIp);
      long client = PodShell.pid(data, get(k, "pod/client", "{.status.containerStatuses[0].containerID}"));
      String first = get(k, "pods", "-l", "app=web", "{.items[0].metadata.name}");
      await("the client reaches the service by name", () -> fetch(client, "web").equals(first), server);
      assertEquals(first, fetch(client, "web.default.svc.cluster.local"));
      assertEquals(first, fetch(client, clusterIp));
      // a host process reaches the ClusterIP (the proxy's /32 route over capstan-dns), and the NodePort
      assertEquals(first, PodNetworkE2E.http(clusterIp, 8080));
      String hostIp = get(k, "pod/client", "{.status.hostIP}");
      int nodePort = Integer.parseInt(get(k, "service/web-np", "{.spec.ports[0].nodePort}"));
      assertTrue(nodePort >= 30000 && nodePort <= 32767, "nodePort " + nodePort);
      assertEquals(first, PodNetworkE2E.http(hostIp, nodePort));

      // three replicas: requests through the ClusterIP reach every one of them
      k.run("scale", "deployment/web", "--replicas=3").ok();
      await("three web pods run", () -> get(k, "pods", "-l", "app=web", "{.items[*].status.phase}")
          .equals("Running Running Running"), server);
      Set<String> names = new TreeSet<>(List.of(get(k, "pods", "-l", "app=web", "{.items[*].metadata.name}")
          .split(" ")));
      Set<String> seen = new HashSet<>();
      await("requests reach all three pods", () -> {
        seen.add(fetch(client, "web"));
        return seen.containsAll(names);
      }, server);

      // unready: its page removed, its readiness probe fails and it stops getting traffic
      String out = names.iterator().next();
      long outPid = PodShell.pid(data, get(k, "pod/" + out, "{.status.containerStatuses[0].containerID}"));
      assertEquals(0, PodShell.exec(outPid, "rm", "/www/index.html").code());
      await("the unready pod is no ready endpoint", () -> {
        String ready = get(k, "endpointslices", "-l", "kubernetes.io/service-name=web",
            "{.items[*].endpoints[?(@.conditions.ready==true)].targetRef.name}");
        return !ready.contains(out) && ready.split(" ").length == 2;
      }, server);
      assertEquals("False", get(k, "pod/" + out, "{.status.conditions[?(@.type==\"Ready\")].status}"));
      for (int i = 0; i < 30; i++) {
        String got = fetch(client, clusterIp);
        assertNotEquals(out, got, "request " + i + " reached the pod taken out of the service");
        assertTrue(!got.startsWith("wget failed"), got);
      }

      // no endpoints: refused at once, from a pod and from the host
      String nothingIp = get(k, "service/nothing", "{.spec.clusterIP}");
      String refused = fetch(client, nothingIp);
      assertTrue(refused.contains("Connection refused"), refused);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(nothingIp, 8080), 5000);
        throw new AssertionError("connected to a service without endpoints");
      } catch (ConnectException e) {
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
      }

      // bad input refused by the API server
      Kubectl.Result outside = k.runWithInput(service("bad-range", "clusterIP: 10.0.0.5", "ClusterIP"),
          "apply", "-f", "-");
      assertNotEquals(0, outside.code());
      assertTrue(outside.err().contains("not in the valid range"), outside.err());
      Kubectl.Result taken = k.runWithInput(service("bad-taken", "clusterIP: " + clusterIp, "ClusterIP"),
          "apply", "-f", "-");
      assertNotEquals(0, taken.code());
      assertTrue(taken.err().contains("already allocated"), taken.err());
      Kubectl.Result dup = k.runWithInput(service("bad-port", "", "NodePort").replace("port: 8080}",
          "port: 8080, nodePort: " + nodePort + "}"), "apply", "-f", "-");
      assertNotEquals(0, dup.code());
      assertTrue(dup.err().contains("provided port is already allocated"), dup.err());

      // everything deleted: only the node's own objects stay while the agent runs
      k.run("delete", "deployment", "web").ok();
      k.run("delete", "pods", "--all").ok();
      k.run("delete", "service", "web", "web-np", "nothing").ok();
      await("only the node's own network objects remain", () -> PodNetworkE2E.nodeOnly(PodShell.traces(data)),
          server);
      server.stop();
      PodShell.Out cleanup = PodNetworkE2E.cleanup(data);
      assertEquals(0, cleanup.code(), cleanup.out());
      assertEquals(List.of(), PodShell.traces(data), "after the server stopped and capstan agent cleanup");
    } finally {
      PodNetworkE2E.removeEverything(server, data);
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).removeAll();
    }
  }

  private static String service(String name, String extra, String type) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s}
        spec:
          type: %s
          %s
          selector: {app: web}
          ports: [{port: 8080}]
        """.formatted(name, type, extra.isEmpty() ? "sessionAffinity: None" : extra);
  }
}
