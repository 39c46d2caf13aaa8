package io.capstan.controllers.cronjob;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The jobs of a CronJob: the job built for a scheduled time, and which finished ones to delete. */
final class CronJobJobs {
  static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private CronJobJobs() {}

  /** {@code <cronjob>-<scheduled time in minutes since the epoch>}, as upstream's getJobName. */
  static String name(CronJob cj, Instant scheduled) {
    return cj.getMetadata().getName() + "-" + Math.floorDiv(scheduled.getEpochSecond(), 60);
  }

  /**
   * The job for {@code scheduled}: the template's labels, annotations and spec, the scheduled time
   * (RFC 3339 in the CronJob's zone) in an annotation, and a controller reference to {@code cj}.
   */
  static Job newJob(CronJob cj, Instant scheduled, ZoneId zone) {
    JobTemplateSpec template = cj.getSpec().getJobTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata() != null) {
      Optional.ofNullable(template.getMetadata().getLabels()).ifPresent(labels::putAll);
      Optional.ofNullable(template.getMetadata().getAnnotations()).ifPresent(annotations::putAll);
    }
    annotations.put(SCHEDULED_TIMESTAMP, RFC3339.format(scheduled.atZone(zone)));
    return new JobBuilder()
        .withNewMetadata().withName(name(cj, scheduled)).withNamespace(cj.getMetadata().getNamespace())
        .withLabels(labels.isEmpty() ? null : labels).withAnnotations(annotations)
        .withOwnerReferences(OwnerReferences.controllerReference(cj)).endMetadata()
        .withSpec(new JobSpecBuilder(template.getSpec()).build())
        .build();
  }

  /** The reference to {@code job} kept in {@code status.active}. */
  static ObjectReference reference(Job job) {
    return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
        .withNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid()).withResourceVersion(job.getMetadata().getResourceVersion()).build();
  }

  /** The Complete or Failed condition that is True, if {@code job} finished. */
  static Optional<String> finishedAs(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
        .map(JobCondition::getType).findFirst();
  }

  /**
   * The finished jobs to delete so that at most {@code successfulLimit} complete and {@code
   * failedLimit} failed ones remain (a null limit keeps all): the oldest by start time first, jobs
   * that never started counting as newest, as upstream's byJobStartTime.
   */
  static List<Job> beyondHistory(List<Job> jobs, Integer successfulLimit, Integer failedLimit) {
    List<Job> out = new ArrayList<>();
    out.addAll(oldest(jobs, "Complete", successfulLimit));
    out.addAll(oldest(jobs, "Failed", failedLimit));
    return out;
  }

  private static List<Job> oldest(List<Job> jobs, String as, Integer limit) {
    if (limit == null) {
      return List.of();
    }
    List<Job> finished = jobs.stream().filter(j -> finishedAs(j).filter(as::equals).isPresent())
        .sorted(Comparator.comparing(CronJobJobs::startTime).thenComparing(j -> j.getMetadata().getName()))
        .toList();
    return finished.subList(0, Math.max(0, finished.size() - Math.max(0, limit)));
  }

  private static Instant startTime(Job job) {
    String t = job.getStatus() == null ? null : job.getStatus().getStartTime();
    try {
      return t == null ? Instant.MAX : Instant.parse(t);
    } catch (RuntimeException e) {
      return Instant.MAX;
    }
  }
}
