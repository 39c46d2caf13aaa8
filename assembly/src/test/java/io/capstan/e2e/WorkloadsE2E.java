package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The StatefulSet and DaemonSet controllers inside capstan server, driven by kubectl. */
class WorkloadsE2E {

  @Test
  void statefulSetAndDaemonSetGetTheirPodsAndHistory() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      kubectl.runWithInput("""
          apiVersion: v1
          kind: Node
          metadata: {name: worker-1, labels: {role: worker}}
          ---
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: db, namespace: default}
          spec:
            replicas: 2
            serviceName: db
            podManagementPolicy: Parallel
            selector: {matchLabels: {app: db}}
            template:
              metadata: {labels: {app: db}}
              spec:
                containers: [{name: db, image: "registry.local:5000/db:1"}]
            volumeClaimTemplates:
            - metadata: {name: data}
              spec:
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: 1Gi}}
          ---
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: agent, namespace: default}
          spec:
            selector: {matchLabels: {app: agent}}
            template:
              metadata: {labels: {app: agent}}
              spec:
                nodeSelector: {role: worker}
                containers: [{name: agent, image: "registry.local:5000/agent:1"}]
          """, "apply", "-f", "-").ok();

      String pods = await(kubectl, s -> s.equals("db-0 db-1"), "get", "pods", "-l", "app=db", "-o",
          "jsonpath={range .items[*]}{.metadata.name} {end}");
      assertEquals("db-0 db-1", pods);
      assertEquals("data-db-0 data-db-1", await(kubectl, s -> s.equals("data-db-0 data-db-1"), "get", "pvc", "-o",
          "jsonpath={range .items[*]}{.metadata.name} {end}"));
      assertTrue(await(kubectl, s -> s.contains("1"), "rollout", "history", "statefulset/db").contains("1"));

      String pinned = await(kubectl, s -> s.equals("worker-1"), "get", "pods", "-l", "app=agent", "-o",
          "jsonpath={.items[*].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
              + ".nodeSelectorTerms[0].matchFields[0].values[0]}");
      assertEquals("worker-1", pinned);
      assertEquals("1", await(kubectl, s -> s.equals("1"), "get", "daemonset", "agent", "-o",
          "jsonpath={.status.desiredNumberScheduled}"));
      assertTrue(await(kubectl, s -> s.contains("1"), "rollout", "history", "daemonset/agent").contains("1"));
    }
  }

  /** Runs kubectl until its trimmed output satisfies {@code done} (at most ~15 s); returns the last output. */
  private static String await(Kubectl kubectl, Predicate<String> done, String... args) throws Exception {
    String out = "";
    for (int i = 0; i < 150; i++) {
      out = kubectl.run(args).ok().out().trim();
      if (done.test(out)) {
        return out;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return out;
  }
}
