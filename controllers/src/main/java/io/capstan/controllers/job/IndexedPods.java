package io.capstan.controllers.job;

import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.pods.PodTemplates;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Completion indexes of {@code completionMode: Indexed} jobs, as upstream's indexed job utilities:
 * each pod runs one index in {@code [0, completions)}, named by an annotation and a label and
 * given to the containers as {@code JOB_COMPLETION_INDEX}; the job is complete when every index
 * has a succeeded pod. {@code status.completedIndexes} lists them as intervals ({@code 0-2,5}).
 */
final class IndexedPods {
  static final String INDEX = "batch.kubernetes.io/job-completion-index";
  static final String ENV = "JOB_COMPLETION_INDEX";

  private IndexedPods() {}

  /** The pod's completion index; -1 when it has none or an unreadable one. */
  static int index(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(INDEX);
    if (v == null) {
      return -1;
    }
    try {
      int i = Integer.parseInt(v);
      return i < 0 ? -1 : i;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The indexes in {@code intervals} ({@code 0-2,5}) below {@code completions}. */
  static SortedSet<Integer> parse(String intervals, int completions) {
    SortedSet<Integer> out = new TreeSet<>();
    if (intervals == null || intervals.isBlank()) {
      return out;
    }
    for (String part : intervals.split(",")) {
      try {
        String[] ends = part.trim().split("-");
        int from = Integer.parseInt(ends[0]);
        int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
        for (int i = Math.max(0, from); i <= to && i < completions; i++) {
          out.add(i);
        }
      } catch (NumberFormatException e) {
        // Skip what cannot be read, as upstream does.
      }
    }
    return out;
  }

  static String format(SortedSet<Integer> indexes) {
    StringBuilder sb = new StringBuilder();
    Integer start = null;
    Integer prev = null;
    for (int i : indexes) {
      if (prev != null && i == prev + 1) {
        prev = i;
        continue;
      }
      append(sb, start, prev);
      start = i;
      prev = i;
    }
    append(sb, start, prev);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Integer start, Integer end) {
    if (start == null) {
      return;
    }
    if (sb.length() > 0) {
      sb.append(',');
    }
    sb.append(start);
    if (!start.equals(end)) {
      sb.append('-').append(end);
    }
  }

  /** The completed indexes: those in the status plus those of succeeded pods. */
  static SortedSet<Integer> succeeded(Job job, List<Pod> pods, int completions) {
    SortedSet<Integer> out = parse(job.getStatus() == null ? null : job.getStatus().getCompletedIndexes(), completions);
    for (Pod p : pods) {
      int i = index(p);
      if (JobPods.isSucceeded(p) && i >= 0 && i < completions) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Active pods to delete: those without a valid index, with an index already completed, or
   * repeating another active pod's index (the one further along is kept).
   */
  static List<Pod> misplaced(List<Pod> active, Set<Integer> completed, int completions) {
    List<Pod> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    List<Pod> keepFirst = new ArrayList<>(active);
    keepFirst.sort(ActivePods.DELETE_FIRST.reversed());
    for (Pod p : keepFirst) {
      int i = index(p);
      if (i < 0 || i >= completions || completed.contains(i) || !seen.add(i)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The lowest {@code count} indexes neither completed nor run by an active pod. */
  static List<Integer> pending(Set<Integer> completed, List<Pod> active, int completions, int count) {
    Set<Integer> busy = new HashSet<>(completed);
    active.forEach(p -> busy.add(index(p)));
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < completions && out.size() < count; i++) {
      if (!busy.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * The pod for index {@code i}: {@code <job>-<i>-<random>}, the index as annotation, label and
   * {@code JOB_COMPLETION_INDEX}, hostname {@code <job>-<i>}.
   */
  static Pod newPod(Job job, int i) {
    PodTemplateSpec template = JobPods.trackedTemplate(job);
    template.getMetadata().setAnnotations(with(template.getMetadata().getAnnotations(), i));
    template.getMetadata().setLabels(with(template.getMetadata().getLabels(), i));
    template.getSpec().setHostname(job.getMetadata().getName() + "-" + i);
    Stream.concat(stream(template.getSpec().getInitContainers()), stream(template.getSpec().getContainers()))
        .forEach(IndexedPods::addEnv);
    return PodTemplates.newPod(job, template, job.getMetadata().getName() + "-" + i + "-");
  }

  private static Map<String, String> with(Map<String, String> map, int i) {
    Map<String, String> out = new LinkedHashMap<>(map == null ? Map.of() : map);
    out.put(INDEX, Integer.toString(i));
    return out;
  }

  private static void addEnv(Container c) {
    List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
    if (env.stream().noneMatch(e -> ENV.equals(e.getName()))) {
      env.add(new EnvVarBuilder().withName(ENV).withNewValueFrom().withNewFieldRef()
          .withFieldPath("metadata.annotations['" + INDEX + "']").endFieldRef().endValueFrom().build());
    }
    c.setEnv(env);
  }

  private static Stream<Container> stream(List<Container> list) {
    return list == null ? Stream.empty() : list.stream();
  }
}
