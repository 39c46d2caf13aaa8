package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The controllers inside capstan server act on what kubectl applies. */
class ControllersE2E {

  @Test
  void replicaSetGetsItsPodsAndFollowsScaling() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      Path rs = Files.createTempFile("rs", ".yaml");
      Files.writeString(rs, """
          apiVersion: apps/v1
          kind: ReplicaSet
          metadata: {name: web, namespace: default}
          spec:
            replicas: 3
            selector: {matchLabels: {app: web}}
            template:
              metadata: {labels: {app: web}}
              spec:
                containers: [{name: web, image: "registry.local:5000/web:1"}]
          """);
      kubectl.run("apply", "-f", rs.toString()).ok();
      assertEquals("3", awaitPods(kubectl, 3));
      String owners = kubectl.run("get", "pods", "-l", "app=web", "-o",
          "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {end}").ok().out();
      assertEquals("ReplicaSet/web ReplicaSet/web ReplicaSet/web", owners.trim());
      kubectl.run("scale", "rs/web", "--replicas=1").ok();
      assertEquals("1", awaitPods(kubectl, 1));
      for (int i = 0; i < 100 && !kubectl.run("get", "rs", "web", "-o", "jsonpath={.status.replicas}").ok().out().equals("1"); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      assertEquals("1", kubectl.run("get", "rs", "web", "-o", "jsonpath={.status.replicas}").ok().out());
      Files.delete(rs);
    }
  }

  @Test
  void aServiceGetsEndpointsAndSlicesThatKubectlShows() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      kubectl.runWithInput("""
          apiVersion: v1
          kind: Service
          metadata: {name: web, namespace: default}
          spec:
            selector: {app: web}
            ports: [{name: http, port: 80, targetPort: http}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: web-a, namespace: default, labels: {app: web}}
          spec:
            containers: [{name: web, image: "registry.local:5000/web:1", ports: [{name: http, containerPort: 8080}]}]
          """, "apply", "-f", "-").ok();
      kubectl.run("patch", "pod", "web-a", "--subresource=status", "--type=merge", "-p",
          "{\"status\":{\"podIP\":\"10.9.0.1\",\"podIPs\":[{\"ip\":\"10.9.0.1\"}],"
              + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").ok();
      String ip = "";
      for (int i = 0; i < 150 && !ip.equals("10.9.0.1"); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
        ip = kubectl.run("get", "endpoints", "web", "-o", "jsonpath={.subsets[0].addresses[0].ip}").out();
      }
      assertEquals("10.9.0.1", ip);
      String endpoints = kubectl.run("get", "endpoints", "web").ok().out();
      assertTrue(endpoints.contains("10.9.0.1:8080"), endpoints);
      String describe = kubectl.run("describe", "service", "web").ok().out();
      assertTrue(describe.lines().anyMatch(l -> l.startsWith("Endpoints:") && l.contains("10.9.0.1:8080")), describe);
      String slices = "";
      for (int i = 0; i < 150 && !slices.contains("10.9.0.1"); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
        slices = kubectl.run("get", "endpointslices", "-l", "kubernetes.io/service-name=web").ok().out();
      }
      assertTrue(slices.contains("10.9.0.1") && slices.contains("8080") && slices.contains("IPv4"), slices);
    }
  }

  @Test
  void controllersCommandNeedsAReadableKubeconfig() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("capstan.jar"), "controllers", "--kubeconfig", "/nonexistent/kubeconfig")
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.startsWith("capstan: cannot read kubeconfig /nonexistent/kubeconfig"), out);
  }

  private static String awaitPods(Kubectl kubectl, int want) throws Exception {
    String count = "";
    for (int i = 0; i < 150; i++) {
      String names = kubectl.run("get", "pods", "-l", "app=web", "-o", "name").ok().out().trim();
      count = names.isEmpty() ? "0" : Integer.toString(names.split("\n").length);
      if (count.equals(Integer.toString(want))) {
        TimeUnit.MILLISECONDS.sleep(500);
        String again = kubectl.run("get", "pods", "-l", "app=web", "-o", "name").ok().out().trim();
        return again.isEmpty() ? "0" : Integer.toString(again.split("\n").length);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return count;
  }
}
