package io.capstan.controllers.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobJobsTest {
  static final CronJob CJ = new CronJobBuilder().withNewMetadata().withNamespace("ns").withName("nightly")
      .withUid("u1").endMetadata().withApiVersion("batch/v1").withKind("CronJob")
      .withNewSpec().withSchedule("0 9 * * *").withNewJobTemplate().withNewMetadata().addToLabels("app", "n")
      .addToAnnotations("note", "x").endMetadata().withNewSpec().withBackoffLimit(2).endSpec().endJobTemplate()
      .endSpec().build();

  @Test
  void theJobIsNamedByTheMinuteAndCarriesTheScheduledTimeInTheZone() {
    Instant t = Instant.parse("2024-03-31T07:00:00Z");
    Job job = CronJobJobs.newJob(CJ, t, ZoneId.of("Europe/Berlin"));
    assertEquals("nightly-" + t.getEpochSecond() / 60, job.getMetadata().getName());
    assertEquals("2024-03-31T09:00:00+02:00", job.getMetadata().getAnnotations().get(CronJobJobs.SCHEDULED_TIMESTAMP));
    assertEquals("x", job.getMetadata().getAnnotations().get("note"));
    assertEquals("n", job.getMetadata().getLabels().get("app"));
    assertEquals(2, job.getSpec().getBackoffLimit());
    assertEquals("u1", job.getMetadata().getOwnerReferences().get(0).getUid());
    assertEquals("2024-03-31T07:00:00Z",
        CronJobJobs.newJob(CJ, t, ZoneId.of("UTC")).getMetadata().getAnnotations().get(CronJobJobs.SCHEDULED_TIMESTAMP));
  }

  static Job finished(String name, String as, String start) {
    return new JobBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withStartTime(start)
        .addNewCondition().withType(as).withStatus("True").endCondition().endStatus().build();
  }

  @Test
  void theOldestFinishedJobsBeyondTheLimitsGo() {
    List<Job> jobs = List.of(finished("c1", "Complete", "2024-01-01T00:01:00Z"),
        finished("c2", "Complete", "2024-01-01T00:02:00Z"), finished("c3", "Complete", "2024-01-01T00:03:00Z"),
        finished("f1", "Failed", "2024-01-01T00:01:30Z"), finished("f2", "Failed", "2024-01-01T00:02:30Z"),
        new JobBuilder().withNewMetadata().withName("running").endMetadata().build());
    assertEquals(List.of("c1", "f1"), CronJobJobs.beyondHistory(jobs, 2, 1).stream()
        .map(j -> j.getMetadata().getName()).toList());
    assertEquals(List.of(), CronJobJobs.beyondHistory(jobs, null, null));
  }
}
