package io.capstan.controllers.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.capstan.controllers.testing.MutableClock;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CronJob controller against a real API server. Its clock is the test's: each test moves it
 * past a schedule time and asks for a pass, instead of waiting for the minute to turn.
 */
class CronJobReconcilerIT {
  static final Duration QUIET = Duration.ofMillis(500);
  static ControllerFixture fixture;
  static KubernetesClient client;
  static Controller controller;
  static final MutableClock clock = new MutableClock(Instant.now());

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> {
      controller = CronJobReconciler.controller(m, 1, clock);
      m.register(controller);
    });
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static CronJobBuilder cronJob(String ns, String policy) {
    return new CronJobBuilder()
        .withNewMetadata().withNamespace(ns).withName("tick").endMetadata()
        .withNewSpec().withSchedule("* * * * *").withConcurrencyPolicy(policy)
        .withNewJobTemplate().withNewMetadata().addToLabels("app", "tick").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec()
        .endJobTemplate().endSpec();
  }

  /** Creates the CronJob; returns the first schedule time after its creation. */
  static Instant create(CronJob cj) {
    // Before the creation, so the pass its creation triggers finds nothing due.
    clock.set(Instant.now().minus(Duration.ofMinutes(1)));
    CronJob created = client.batch().v1().cronjobs().resource(cj).create();
    return Instant.parse(created.getMetadata().getCreationTimestamp()).truncatedTo(ChronoUnit.MINUTES)
        .plus(Duration.ofMinutes(1));
  }

  /** Sets the controller's clock to {@code t} and has it look at the CronJob. */
  static void at(String ns, Instant t) {
    clock.set(t);
    controller.enqueue(new Request(ns, "tick"));
  }

  static CronJob get(String ns) {
    return client.batch().v1().cronjobs().inNamespace(ns).withName("tick").get();
  }

  static Set<String> jobs(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream().map(j -> j.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  static String jobName(Instant scheduled) {
    return "tick-" + scheduled.getEpochSecond() / 60;
  }

  static void awaitJobs(String ns, Set<String> names) {
    Await.until("jobs " + names, () -> jobs(ns).equals(names), () -> jobs(ns) + " status " + get(ns).getStatus());
  }

  static void complete(String ns, String name) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    client.batch().v1().jobs().inNamespace(ns).withName(name).editStatus(j -> new JobBuilder(j).editOrNewStatus()
        .withStartTime(now).withCompletionTime(now).withSucceeded(1)
        .addToConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
            .withLastTransitionTime(now).build()).endStatus().build());
  }

  static Set<String> active(String ns) {
    CronJob cj = get(ns);
    return cj.getStatus() == null || cj.getStatus().getActive() == null ? Set.of()
        : cj.getStatus().getActive().stream().map(r -> r.getName()).collect(Collectors.toSet());
  }

  @Test
  void startsAJobEachMinuteAndKeepsTheHistoryLimit() {
    String ns = Clients.namespace(client, "cj-allow");
    Instant first = create(cronJob(ns, "Allow").editSpec().withSuccessfulJobsHistoryLimit(1).endSpec().build());
    at(ns, first.minusSeconds(1));
    Await.holds("nothing before the first minute", () -> jobs(ns).isEmpty(), QUIET, () -> jobs(ns).toString());

    at(ns, first.plusSeconds(5));
    awaitJobs(ns, Set.of(jobName(first)));
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(jobName(first)).get();
    assertEquals(first.toString(), Instant.parse(job.getMetadata().getAnnotations()
        .get("batch.kubernetes.io/cronjob-scheduled-timestamp")).toString());
    assertEquals("tick", job.getMetadata().getLabels().get("app"));
    assertEquals("CronJob", OwnerReferences.controllerOf(job).orElseThrow().getKind());
    Await.until("status shows the active job", () -> active(ns).equals(Set.of(jobName(first)))
        && first.toString().equals(get(ns).getStatus().getLastScheduleTime()), () -> "" + get(ns).getStatus());

    complete(ns, jobName(first));
    Await.until("the finished job leaves the active list", () -> active(ns).isEmpty()
        && get(ns).getStatus().getLastSuccessfulTime() != null, () -> "" + get(ns).getStatus());

    Instant second = first.plus(Duration.ofMinutes(1));
    at(ns, second.plusSeconds(1));
    awaitJobs(ns, Set.of(jobName(first), jobName(second)));
    complete(ns, jobName(second));
    // successfulJobsHistoryLimit 1: the older finished job goes.
    awaitJobs(ns, Set.of(jobName(second)));
  }

  @Test
  void forbidWaitsForTheRunningJob() {
    String ns = Clients.namespace(client, "cj-forbid");
    Instant first = create(cronJob(ns, "Forbid").build());
    at(ns, first.plusSeconds(1));
    awaitJobs(ns, Set.of(jobName(first)));
    Instant second = first.plus(Duration.ofMinutes(1));
    at(ns, second.plusSeconds(1));
    Await.holds("no second job while the first runs", () -> jobs(ns).size() == 1, QUIET, () -> jobs(ns).toString());
    complete(ns, jobName(first));
    // The missed time is started late, once the first job is done (no startingDeadlineSeconds).
    awaitJobs(ns, Set.of(jobName(first), jobName(second)));
  }

  @Test
  void replaceDeletesTheRunningJob() {
    String ns = Clients.namespace(client, "cj-replace");
    Instant first = create(cronJob(ns, "Replace").build());
    at(ns, first.plusSeconds(1));
    awaitJobs(ns, Set.of(jobName(first)));
    Instant second = first.plus(Duration.ofMinutes(1));
    at(ns, second.plusSeconds(1));
    awaitJobs(ns, Set.of(jobName(second)));
    Await.until("only the new job is active", () -> active(ns).equals(Set.of(jobName(second))));
  }

  @Test
  void aTimeLaterThanTheStartingDeadlineIsSkipped() {
    String ns = Clients.namespace(client, "cj-deadline");
    Instant first = create(cronJob(ns, "Allow").editSpec().withStartingDeadlineSeconds(10L).endSpec().build());
    at(ns, first.plusSeconds(30));
    Await.holds("the first time is missed", () -> jobs(ns).isEmpty(), QUIET, () -> jobs(ns).toString());
    Instant second = first.plus(Duration.ofMinutes(1));
    at(ns, second.plusSeconds(5));
    awaitJobs(ns, Set.of(jobName(second)));
  }

  @Test
  void aSuspendedCronJobStartsNothing() {
    String ns = Clients.namespace(client, "cj-suspend");
    Instant first = create(cronJob(ns, "Allow").editSpec().withSuspend(true).endSpec().build());
    at(ns, first.plusSeconds(1));
    Await.holds("nothing while suspended", () -> jobs(ns).isEmpty(), QUIET, () -> jobs(ns).toString());
    Edits.retrying(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("tick")
        .edit(cj -> new CronJobBuilder(cj).editSpec().withSuspend(false).endSpec().build()));
    awaitJobs(ns, Set.of(jobName(first)));
    assertNotNull(get(ns));
    assertTrue(List.of(jobName(first)).containsAll(jobs(ns)));
  }
}
