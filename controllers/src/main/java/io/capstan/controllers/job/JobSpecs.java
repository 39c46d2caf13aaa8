package io.capstan.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** A Job's spec values with the API's defaults applied, for specs stored without them. */
final class JobSpecs {
  private JobSpecs() {}

  static int parallelism(Job job) {
    Integer p = job.getSpec().getParallelism();
    return p == null ? 1 : Math.max(0, p);
  }

  /** The completions asked for; null when any one success completes the job (a work queue). */
  static Integer completions(Job job) {
    return job.getSpec().getCompletions();
  }

  static int backoffLimit(Job job) {
    Integer b = job.getSpec().getBackoffLimit();
    return b == null ? 6 : b;
  }

  static boolean suspended(Job job) {
    return Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  static boolean indexed(Job job) {
    return "Indexed".equals(job.getSpec().getCompletionMode());
  }
}
