package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service addresses through kubectl, on a server started with its own ranges
 * ({@code --service-cluster-ip-range}, {@code --service-node-port-range}, {@code --cluster-cidr}).
 */
class KubectlServicesE2E {
  static CapstanServer server;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    server = CapstanServer.start("--service-cluster-ip-range", "10.100.0.0/16", "--service-node-port-range",
        "31000-31999", "--cluster-cidr", "10.200.0.0/16");
    kubectl = new Kubectl(server.kubeconfig());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String jsonpath(String what, String path) throws Exception {
    return kubectl.run("get", "svc", what, "-o", "jsonpath=" + path).ok().out();
  }

  @Test
  void kubernetesServiceAndClusterIp() throws Exception {
    String k = kubectl.run("get", "svc", "kubernetes").ok().out();
    assertTrue(k.contains("10.100.0.1") && k.contains("443/TCP"), k);
    String target = jsonpath("kubernetes", "{.spec.ports[0].targetPort}");
    assertEquals(server.url().substring(server.url().lastIndexOf(':') + 1), target);

    assertEquals("service/web created", kubectl.run("create", "service", "clusterip", "web", "--tcp=80:8080").ok().out().trim());
    String ip = jsonpath("web", "{.spec.clusterIP}");
    assertTrue(ip.startsWith("10.100."), ip);
    assertNotEquals("10.100.0.1", ip);
    String table = kubectl.run("get", "svc", "web").ok().out();
    assertTrue(table.contains("CLUSTER-IP") && table.contains(ip) && table.contains("80/TCP"), table);
    assertEquals("IPv4 SingleStack", jsonpath("web", "{.spec.ipFamilies[0]} {.spec.ipFamilyPolicy}"));
  }

  @Test
  void nodePortsShowInPorts() throws Exception {
    kubectl.run("create", "deployment", "shop", "--image=registry.local:5000/shop:1").ok();
    kubectl.run("expose", "deployment", "shop", "--port=80", "--type=NodePort").ok();
    String port = jsonpath("shop", "{.spec.ports[0].nodePort}");
    int np = Integer.parseInt(port);
    assertTrue(np >= 31000 && np <= 31999, port);
    String table = kubectl.run("get", "svc", "shop").ok().out();
    assertTrue(table.contains("NodePort") && table.contains("80:" + np + "/TCP"), table);

    Kubectl.Result dup = kubectl.run("create", "service", "nodeport", "dup", "--tcp=80", "--node-port=" + np);
    assertNotEquals(0, dup.code());
    assertTrue(dup.err().contains("Service \"dup\" is invalid: spec.ports[0].nodePort: Invalid value: " + np
        + ": provided port is already allocated"), dup.err());
    Kubectl.Result out = kubectl.run("create", "service", "nodeport", "low", "--tcp=80", "--node-port=30000");
    assertTrue(out.err().contains("provided port is not in the valid range. The range of valid ports is 31000-31999"),
        out.err());
  }

  @Test
  void badAddressesPrintKubesErrors() throws Exception {
    Kubectl.Result outside = kubectl.run("create", "service", "clusterip", "bad", "--clusterip=10.96.0.50", "--tcp=80");
    assertNotEquals(0, outside.code());
    assertTrue(outside.err().contains("Service \"bad\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.50\"}: "
        + "failed to allocate IP 10.96.0.50: the provided IP (10.96.0.50) is not in the valid range. "
        + "The range of valid IPs is 10.100.0.0/16"), outside.err());
    kubectl.run("create", "service", "clusterip", "fixed", "--clusterip=10.100.0.10", "--tcp=53").ok();
    Kubectl.Result taken = kubectl.run("create", "service", "clusterip", "fixed2", "--clusterip=10.100.0.10", "--tcp=53");
    assertTrue(taken.err().contains("failed to allocate IP 10.100.0.10: provided IP is already allocated"), taken.err());
    String headless = kubectl.run("create", "service", "clusterip", "hl", "--clusterip=None").ok().out();
    assertTrue(headless.contains("service/hl created"), headless);
    assertTrue(kubectl.run("get", "svc", "hl").ok().out().contains("None"));
    Kubectl.Result change = kubectl.run("patch", "svc", "fixed", "-p", "{\"spec\":{\"clusterIP\":\"10.100.0.11\"}}");
    assertTrue(change.err().contains("may not change once set"), change.err());
  }

  @Test
  void nodesGetPodCidrs() throws Exception {
    kubectl.runWithInput("apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\n", "apply", "-f", "-").ok();
    String cidr = "";
    for (int i = 0; i < 300 && cidr.isEmpty(); i++) {
      cidr = kubectl.run("get", "node", "worker-1", "-o", "jsonpath={.spec.podCIDR}").ok().out();
      if (cidr.isEmpty()) {
        Thread.sleep(100);
      }
    }
    assertTrue(cidr.matches("10\\.200\\.\\d+\\.0/24"), cidr);
  }
}
