package io.capstan.controllers.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Job and TTL-after-finished controllers against a real API server, with a test kubelet. */
class JobReconcilerIT {
  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(JobReconciler.controller(m, 2, Clock.systemUTC(), Duration.ofMillis(100)))
        .register(TtlAfterFinishedReconciler.controller(m, 1)));
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static JobBuilder job(String ns, String name, Integer completions, int parallelism, String outcome) {
    return new JobBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withCompletions(completions).withParallelism(parallelism)
        .withNewTemplate().withNewMetadata().addToLabels(TestKubelet.OUTCOME, outcome).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox").endContainer()
        .endSpec().endTemplate().endSpec();
  }

  static Job get(String ns, String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }

  static boolean hasCondition(Job job, String type, String reason) {
    if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
      return false;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (c.getType().equals(type) && "True".equals(c.getStatus()) && (reason == null || reason.equals(c.getReason()))) {
        return true;
      }
    }
    return false;
  }

  static void awaitCondition(String ns, String name, String type, String reason) {
    Await.until(name + " has " + type, () -> hasCondition(get(ns, name), type, reason),
        () -> String.valueOf(get(ns, name).getStatus()) + " pods " + pods(ns).size());
  }

  @Test
  void runsCompletionsNeverMoreThanParallelismAtOnce() {
    String ns = Clients.namespace(client, "job-complete");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "work", 5, 2, "succeed").build()).create();
      awaitCondition(ns, "work", "Complete", null);
      Job done = get(ns, "work");
      assertEquals(5, done.getStatus().getSucceeded());
      assertEquals(null, done.getStatus().getFailed());
      assertEquals(null, done.getStatus().getActive());
      assertNotNull(done.getStatus().getStartTime());
      assertNotNull(done.getStatus().getCompletionTime());
      assertTrue(hasCondition(done, "SuccessCriteriaMet", null), String.valueOf(done.getStatus()));
      assertEquals(5, pods(ns).size());
      for (Pod p : pods(ns)) {
        assertTrue(p.getMetadata().getName().matches("work-[a-z0-9]{5}"), p.getMetadata().getName());
        assertEquals("work", p.getMetadata().getLabels().get("batch.kubernetes.io/job-name"));
        assertTrue(p.getMetadata().getFinalizers() == null || p.getMetadata().getFinalizers().isEmpty(),
            "counted pods lose the tracking finalizer: " + p.getMetadata().getFinalizers());
      }
      assertTrue(kubelet.maxActive() <= 2, "at most parallelism active, saw " + kubelet.maxActive());
      assertEquals(2, kubelet.maxActive(), "parallelism is used");
    }
  }

  @Test
  void anIndexedJobRunsEachIndexOnce() {
    String ns = Clients.namespace(client, "job-indexed");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "idx", 3, 2, "succeed").editSpec()
          .withCompletionMode("Indexed").endSpec().build()).create();
      awaitCondition(ns, "idx", "Complete", null);
      Job done = get(ns, "idx");
      assertEquals(3, done.getStatus().getSucceeded());
      assertEquals("0-2", done.getStatus().getCompletedIndexes());
      assertEquals(3, pods(ns).size(), "one pod per index");
      Set<String> indexes = new HashSet<>();
      for (Pod p : pods(ns)) {
        String index = p.getMetadata().getAnnotations().get(IndexedPods.INDEX);
        indexes.add(index);
        assertEquals(index, p.getMetadata().getLabels().get(IndexedPods.INDEX));
        assertTrue(p.getMetadata().getName().matches("idx-" + index + "-[a-z0-9]{5}"), p.getMetadata().getName());
        assertEquals("idx-" + index, p.getSpec().getHostname());
        assertTrue(p.getSpec().getContainers().get(0).getEnv().stream()
            .anyMatch(e -> e.getName().equals("JOB_COMPLETION_INDEX")));
      }
      assertEquals(Set.of("0", "1", "2"), indexes);
      assertTrue(kubelet.maxActive() <= 2);
    }
  }

  @Test
  void podsCarryTheTrackingFinalizerWhileRunning() {
    String ns = Clients.namespace(client, "job-tracking");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "hold", 2, 2, "hold").build()).create();
      Await.until("two pods run", () -> pods(ns).size() == 2 && get(ns, "hold").getStatus() != null
          && Objects.equals(get(ns, "hold").getStatus().getActive(), 2));
      for (Pod p : pods(ns)) {
        assertEquals(List.of(JobPods.TRACKING_FINALIZER), p.getMetadata().getFinalizers());
      }
      // Deleting the job releases its pods' finalizers, so they are not stuck.
      client.batch().v1().jobs().inNamespace(ns).withName("hold").delete();
      Await.until("the finalizers are removed", () -> pods(ns).stream()
          .allMatch(p -> p.getMetadata().getFinalizers() == null || p.getMetadata().getFinalizers().isEmpty()));
    }
  }

  @Test
  void failedPodsBeyondTheBackoffLimitFailTheJob() {
    String ns = Clients.namespace(client, "job-backoff");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "flaky", 1, 1, "fail").editSpec().withBackoffLimit(2).endSpec()
          .build()).create();
      awaitCondition(ns, "flaky", "Failed", "BackoffLimitExceeded");
      Job failed = get(ns, "flaky");
      assertEquals(3, failed.getStatus().getFailed(), "backoffLimit 2 allows three attempts");
      assertTrue(hasCondition(failed, "FailureTarget", "BackoffLimitExceeded"));
      assertEquals(3, pods(ns).size());
      assertTrue(kubelet.maxActive() <= 1);
      Await.holds("no pod is created after the failure", () -> pods(ns).size() == 3, Duration.ofSeconds(1),
          () -> String.valueOf(pods(ns).size()));
    }
  }

  @Test
  void aPodDeletedWhileRunningCountsAsFailedAndIsReplaced() {
    String ns = Clients.namespace(client, "job-deleted-pod");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "keep", 1, 1, "hold").build()).create();
      Await.until("a pod runs", () -> pods(ns).size() == 1);
      String first = pods(ns).get(0).getMetadata().getName();
      client.pods().inNamespace(ns).withName(first).delete();
      Await.until("a replacement runs and the deleted pod counts as failed", () -> {
        Job j = get(ns, "keep");
        return j.getStatus() != null && Objects.equals(j.getStatus().getFailed(), 1)
            && pods(ns).size() == 1 && !pods(ns).get(0).getMetadata().getName().equals(first);
      }, () -> get(ns, "keep").getStatus() + " " + pods(ns).size());
    }
  }

  @Test
  void aJobActiveLongerThanItsDeadlineFailsAndItsPodsGo() {
    String ns = Clients.namespace(client, "job-deadline");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "slow", 3, 2, "hold").editSpec().withActiveDeadlineSeconds(2L)
          .endSpec().build()).create();
      Await.until("pods run", () -> pods(ns).size() == 2);
      awaitCondition(ns, "slow", "Failed", "DeadlineExceeded");
      Job failed = get(ns, "slow");
      assertEquals(2, failed.getStatus().getFailed(), "the deleted active pods count as failed");
      assertEquals(0, failed.getStatus().getTerminating());
      Await.until("the active pods are gone", () -> pods(ns).isEmpty());
    }
  }

  @Test
  void aSuspendedJobRunsNothingUntilResumed() {
    String ns = Clients.namespace(client, "job-suspend");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "later", 1, 1, "succeed").editSpec().withSuspend(true).endSpec()
          .build()).create();
      awaitCondition(ns, "later", "Suspended", "JobSuspended");
      assertTrue(pods(ns).isEmpty());
      assertEquals(null, get(ns, "later").getStatus().getStartTime());
      Edits.retrying(() -> client.batch().v1().jobs().inNamespace(ns).withName("later")
          .edit(j -> new JobBuilder(j).editSpec().withSuspend(false).endSpec().build()));
      awaitCondition(ns, "later", "Complete", null);
      assertTrue(get(ns, "later").getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Suspended") && c.getStatus().equals("False")));
    }
  }

  @Test
  void aFinishedJobWithATtlIsDeleted() {
    String ns = Clients.namespace(client, "job-ttl");
    try (TestKubelet kubelet = new TestKubelet(client, ns)) {
      client.batch().v1().jobs().resource(job(ns, "short", 1, 1, "succeed").editSpec()
          .withTtlSecondsAfterFinished(1).endSpec().build()).create();
      client.batch().v1().jobs().resource(job(ns, "kept", 1, 1, "succeed").build()).create();
      awaitCondition(ns, "kept", "Complete", null);
      Await.until("the job with a TTL is deleted", () -> get(ns, "short") == null);
      Await.holds("the job without one stays", () -> get(ns, "kept") != null, Duration.ofSeconds(2), () -> "");
    }
  }
}
