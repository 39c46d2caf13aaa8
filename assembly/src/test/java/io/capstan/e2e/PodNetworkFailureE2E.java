package io.capstan.e2e;

import static io.capstan.e2e.PodNetworkE2E.await;
import static io.capstan.e2e.PodNetworkE2E.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cgroup.CgroupConfig;
import io.capstan.node.cgroup.PodCgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A pod whose network cannot be set up (root): with {@code --node-cidr-mask-size 30} the node's
 * podCIDR holds one pod address, so a second pod's CNI ADD fails. The pod stays ContainerCreating
 * without a sandbox, a FailedCreatePodSandBox Warning event carries the plugin's message, and the
 * setup is retried: once the first pod is deleted (its address released), the second one runs.
 */
class PodNetworkFailureE2E {

  @Test
  void cniFailureIsAnEventAndIsRetried() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    String cgroupRoot = "capstan-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    CapstanServer server = CapstanServer.start("--node-agent", "true", "--cgroup-root", cgroupRoot,
        "--node-cidr-mask-size", "30");
    Path data = server.dataDir();
    try {
      await("the server's node agent starts", () -> server.log().contains("capstan node agent running node " + node),
          server);
      PodNetworkE2E.importImage(data);
      Kubectl k = new Kubectl(server.kubeconfig());
      await("node " + node + " has a /30", () -> get(k, "node/" + node, "{.spec.podCIDR}").endsWith("/30"), server);
      k.runWithInput(pod("first"), "apply", "-f", "-").ok();
      await("the first pod runs", () -> get(k, "pod/first", "{.status.phase}").equals("Running"), server);
      k.runWithInput(pod("second"), "apply", "-f", "-").ok();
      await("a FailedCreatePodSandBox event for the second pod", () -> get(k, "events",
          "--field-selector", "involvedObject.name=second,reason=FailedCreatePodSandBox", "{.items[*].message}")
          .contains("no IP addresses available"), server);
      assertEquals("Pending ContainerCreating", get(k, "pod/second",
          "{.status.phase} {.status.containerStatuses[0].state.waiting.reason}"));
      assertEquals("", get(k, "pod/second", "{.status.podIP}"));
      assertEquals("Warning", get(k, "events", "--field-selector",
          "involvedObject.name=second,reason=FailedCreatePodSandBox", "{.items[0].type}"));

      k.run("delete", "pod", "first").ok();
      await("the second pod runs with the released address", () -> get(k, "pod/second", "{.status.phase}")
          .equals("Running"), server);
      assertTrue(!get(k, "pod/second", "{.status.podIP}").isEmpty());

      k.run("delete", "pod", "second").ok();
      await("the pods are gone", () -> get(k, "pods", "{.items[*].metadata.name}").isEmpty(), server);
      server.stop();
      assertEquals(0, PodNetworkE2E.cleanup(data).code());
      assertEquals(List.of(), PodShell.traces(data));
    } finally {
      PodNetworkE2E.removeEverything(server, data);
      PodCgroups.open(CgroupConfig.defaults().withRoot(cgroupRoot)).removeAll();
    }
  }

  private static String pod(String name) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
        """.formatted(name);
  }
}
