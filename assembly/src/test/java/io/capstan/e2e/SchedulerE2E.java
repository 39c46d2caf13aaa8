package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler inside capstan server, seen through kubectl. */
class SchedulerE2E {

  @Test
  void describeShowsWhyAPodWaitsAndItIsBoundOnceANodeIsReady() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      Path pod = Files.createTempFile("pod", ".yaml");
      Files.writeString(pod, """
          apiVersion: v1
          kind: Pod
          metadata: {name: lonely, namespace: default}
          spec:
            containers: [{name: c, image: "registry.local:5000/web:1", resources: {requests: {cpu: 500m}}}]
          """);
      kubectl.run("apply", "-f", pod.toString()).ok();
      String describe = "";
      for (int i = 0; i < 150 && !describe.contains("FailedScheduling"); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
        describe = kubectl.run("describe", "pod", "lonely").ok().out();
      }
      assertTrue(describe.contains("FailedScheduling"), describe);
      assertTrue(describe.contains("default-scheduler"), describe);
      assertTrue(describe.contains("no nodes available to schedule pods"), describe);

      Path node = Files.createTempFile("node", ".yaml");
      Files.writeString(node, """
          apiVersion: v1
          kind: Node
          metadata: {name: worker-1}
          """);
      kubectl.run("apply", "-f", node.toString()).ok();
      kubectl.run("patch", "node", "worker-1", "--subresource=status", "--type=merge", "-p",
          "{\"status\":{\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\",\"pods\":\"110\"},"
              + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").ok();
      String bound = "";
      for (int i = 0; i < 300 && bound.isEmpty(); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
        bound = kubectl.run("get", "pod", "lonely", "-o", "jsonpath={.spec.nodeName}").ok().out().trim();
      }
      assertEquals("worker-1", bound);
      Files.delete(pod);
      Files.delete(node);
    }
  }
}
