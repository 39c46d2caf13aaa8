package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Deployment controller runs in capstan server: kubectl create deployment gets a ReplicaSet and pods. */
class DeploymentsE2E {

  @Test
  void aDeploymentGetsAHashedReplicaSetWithPods() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      kubectl.run("create", "deployment", "web", "--image=registry.local:5000/web:1", "--replicas=2").ok();
      String rs = "";
      for (int i = 0; i < 300 && rs.isEmpty(); i++) {
        rs = kubectl.run("get", "rs", "-l", "app=web", "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.spec.replicas} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}{end}")
            .ok().out().trim();
        TimeUnit.MILLISECONDS.sleep(100);
      }
      assertTrue(rs.matches("web-[bcdfghjklmnpqrstvwxz2456789]+ 2 1"), rs);
      String pods = "";
      for (int i = 0; i < 300 && !pods.equals("2"); i++) {
        pods = String.valueOf(kubectl.run("get", "pods", "-l", "app=web", "-o", "name").ok().out().trim().lines().count());
        TimeUnit.MILLISECONDS.sleep(100);
      }
      assertEquals("2", pods);
      String history = kubectl.run("rollout", "history", "deployment/web").ok().out();
      assertTrue(history.contains("REVISION") && history.contains("1 "), history);
    }
  }
}
