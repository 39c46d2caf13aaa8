package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kubectl runs a Job to completion (a test stands in for the node and marks the pod Succeeded),
 * waits for it and lists it; and starts a job from a CronJob.
 */
class JobsE2E {

  @Test
  void kubectlWaitsForAJobToCompleteAndListsIt() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      kubectl.run("create", "job", "once", "--image=registry.local:5000/busybox:1").ok();
      String pod = awaitOutput(kubectl, "get", "pods", "-l", "batch.kubernetes.io/job-name=once", "-o", "name");
      assertTrue(pod.startsWith("pod/once-"), pod);
      assertEquals("batch.kubernetes.io/job-tracking",
          kubectl.run("get", pod, "-o", "jsonpath={.metadata.finalizers[0]}").ok().out());
      kubectl.run("patch", pod, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Succeeded\"}}")
          .ok();
      kubectl.run("wait", "--for=condition=complete", "job/once", "--timeout=30s").ok();
      String row = kubectl.run("get", "jobs", "once", "--no-headers").ok().out();
      assertTrue(row.matches("once\\s+Complete\\s+1/1\\s+\\S+\\s+\\S+\\s*"), row);
    }
  }

  @Test
  void kubectlCreatesAJobFromACronJob() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      kubectl.run("create", "cronjob", "nightly", "--image=registry.local:5000/busybox:1",
          "--schedule=0 3 * * *").ok();
      kubectl.run("create", "job", "now", "--from=cronjob/nightly").ok();
      assertEquals("CronJob/nightly", kubectl.run("get", "job", "now", "-o",
          "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}").ok().out());
      String pod = awaitOutput(kubectl, "get", "pods", "-l", "batch.kubernetes.io/job-name=now", "-o", "name");
      assertTrue(pod.startsWith("pod/now-"), pod);
      String row = kubectl.run("get", "cronjob", "nightly", "--no-headers").ok().out();
      assertTrue(row.startsWith("nightly"), row);
    }
  }

  private static String awaitOutput(Kubectl kubectl, String... args) throws Exception {
    for (int i = 0; i < 300; i++) {
      String out = kubectl.run(args).ok().out().trim();
      if (!out.isEmpty()) {
        return out;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return "";
  }
}
