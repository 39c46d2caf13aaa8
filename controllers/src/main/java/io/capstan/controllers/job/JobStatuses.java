package io.capstan.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON merge patch that writes a whole Job status, shaped as upstream serializes it. */
final class JobStatuses {
  private JobStatuses() {}

  /**
   * Every field is named, null ones to clear them. Zero counters are left out as upstream's
   * {@code omitempty} does; {@code ready} and {@code terminating} are always written, and
   * {@code uncountedTerminatedPods} is {@code {}} when empty.
   */
  static Map<String, Object> patch(JobStatus status) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("startTime", status.getStartTime());
    s.put("completionTime", status.getCompletionTime());
    s.put("active", positive(status.getActive()));
    s.put("succeeded", positive(status.getSucceeded()));
    s.put("failed", positive(status.getFailed()));
    s.put("ready", status.getReady() == null ? 0 : status.getReady());
    s.put("terminating", status.getTerminating() == null ? 0 : status.getTerminating());
    String completed = status.getCompletedIndexes();
    s.put("completedIndexes", completed == null || completed.isEmpty() ? null : completed);
    s.put("conditions", status.getConditions() == null || status.getConditions().isEmpty() ? null
        : new ArrayList<>(status.getConditions()));
    UncountedTerminatedPods u = status.getUncountedTerminatedPods();
    Map<String, Object> uncounted = new LinkedHashMap<>();
    uncounted.put("succeeded", u == null ? null : emptyToNull(u.getSucceeded()));
    uncounted.put("failed", u == null ? null : emptyToNull(u.getFailed()));
    // Copies: the caller keeps editing the status it passed.
    s.put("uncountedTerminatedPods", uncounted);
    return s;
  }

  private static Integer positive(Integer n) {
    return n == null || n <= 0 ? null : n;
  }

  private static List<String> emptyToNull(List<String> l) {
    return l == null || l.isEmpty() ? null : List.copyOf(l);
  }
}
