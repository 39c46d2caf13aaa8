package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kubectl's three cascades against capstan server (whose garbage collector and ReplicaSet
 * controller run in process): kubectl 1.32 sends the policy in the DeleteOptions body.
 */
class GarbageCollectionE2E {

  static String replicaSet(String name) {
    return """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: %1$s, namespace: default}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers: [{name: c, image: "registry.local:5000/web:1"}]
        """.formatted(name);
  }

  @Test
  void cascadeBackgroundForegroundAndOrphan() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      for (String name : new String[] {"bg", "fg", "or"}) {
        kubectl.runWithInput(replicaSet(name), "apply", "-f", "-").ok();
        awaitPods(kubectl, name, 2);
      }

      kubectl.run("delete", "rs", "bg").ok();
      awaitPods(kubectl, "bg", 0);

      // Foreground: kubectl waits until the ReplicaSet is gone, which is after its pods.
      kubectl.run("delete", "rs", "fg", "--cascade=foreground").ok();
      assertEquals("", pods(kubectl, "fg"), "the pods go before their owner");

      kubectl.run("delete", "rs", "or", "--cascade=orphan").ok();
      assertTrue(kubectl.run("get", "rs", "or", "--ignore-not-found", "-o", "name").ok().out().isBlank());
      assertEquals(2, pods(kubectl, "or").split("\\s+").length);
      String owners = kubectl.run("get", "pods", "-l", "app=or", "-o",
          "jsonpath={range .items[*]}[{.metadata.ownerReferences}]{end}").ok().out();
      assertEquals("[][]", owners.trim(), "the orphans lost their owner references");
    }
  }

  private static String pods(Kubectl kubectl, String app) throws Exception {
    return kubectl.run("get", "pods", "-l", "app=" + app, "-o", "name").ok().out().trim();
  }

  private static void awaitPods(Kubectl kubectl, String app, int want) throws Exception {
    String names = "";
    for (int i = 0; i < 300; i++) {
      names = pods(kubectl, app);
      int count = names.isEmpty() ? 0 : names.split("\n").length;
      if (count == want) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("pods of " + app + " never became " + want + ": " + names);
  }
}
