package io.capstan.apiserver.table;

import static io.capstan.apiserver.table.Cells.num;
import static io.capstan.apiserver.table.Cells.since;
import static io.capstan.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Columns of the workload kinds: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob. */
final class WorkloadColumns {
  private WorkloadColumns() {}

  static KindColumns deployments() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Ready", "Ready pods out of desired pods."),
        Column.integer("Up-to-date", "Pods that run the current pod template."),
        Column.integer("Available", "Pods that have been ready for at least minReadySeconds."),
        Column.age(), Column.containers(), Column.images(), Column.selector()),
        (d, now) -> withTemplate(d, List.of(name(d),
            num(d, 0, "status", "readyReplicas") + "/" + num(d, 1, "spec", "replicas"),
            num(d, 0, "status", "updatedReplicas"), num(d, 0, "status", "availableReplicas"), age(d, now)), true));
  }

  static KindColumns replicaSets() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.integer("Desired", "Number of pods wanted."),
        Column.integer("Current", "Number of pods that exist."),
        Column.integer("Ready", "Number of pods that are ready."),
        Column.age(), Column.containers(), Column.images(), Column.selector()),
        (rs, now) -> withTemplate(rs, List.of(name(rs), num(rs, 1, "spec", "replicas"),
            num(rs, 0, "status", "replicas"), num(rs, 0, "status", "readyReplicas"), age(rs, now)), true));
  }

  static KindColumns statefulSets() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Ready", "Ready pods out of desired pods."),
        Column.age(), Column.containers(), Column.images()),
        (s, now) -> withTemplate(s, List.of(name(s),
            num(s, 0, "status", "readyReplicas") + "/" + num(s, 1, "spec", "replicas"), age(s, now)), false));
  }

  static KindColumns daemonSets() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.integer("Desired", "Nodes that should run the daemon pod."),
        Column.integer("Current", "Nodes that run at least one daemon pod."),
        Column.integer("Ready", "Nodes whose daemon pod is ready."),
        Column.integer("Up-to-date", "Nodes that run the current pod template."),
        Column.integer("Available", "Nodes whose daemon pod is available."),
        Column.string("Node Selector", "The node selector of the pod template."),
        Column.age(), Column.containers(), Column.images(), Column.selector()),
        (ds, now) -> withTemplate(ds, List.of(name(ds),
            num(ds, 0, "status", "desiredNumberScheduled"), num(ds, 0, "status", "currentNumberScheduled"),
            num(ds, 0, "status", "numberReady"), num(ds, 0, "status", "updatedNumberScheduled"),
            num(ds, 0, "status", "numberAvailable"),
            Cells.formatLabels(ds.path("spec").path("template").path("spec").path("nodeSelector")),
            age(ds, now)), true));
  }

  static KindColumns jobs() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Status", "Complete, Failed, Suspended, Running and so on."),
        Column.string("Completions", "Succeeded pods out of the completions wanted."),
        Column.string("Duration", "How long the job ran, or has been running."),
        Column.age(), Column.containers(), Column.images(), Column.selector()),
        (j, now) -> withTemplate(j, List.of(name(j), jobStatus(j), completions(j), duration(j, now),
            age(j, now)), true));
  }

  static KindColumns cronJobs() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Schedule", "The cron schedule."),
        Column.string("Timezone", "The time zone of the schedule."),
        new Column("Suspend", "boolean", "", "Whether new jobs are suspended.", 0),
        Column.integer("Active", "Number of running jobs."),
        Column.string("Last Schedule", "Time since a job was last scheduled."),
        Column.age(), Column.containers(), Column.images(), Column.selector()),
        (cj, now) -> {
          JsonNode spec = cj.path("spec");
          JsonNode suspend = spec.path("suspend");
          String last = text(cj, "status", "lastScheduleTime");
          JsonNode jobSpec = spec.path("jobTemplate").path("spec");
          String[] ci = Cells.containersAndImages(jobSpec.path("template").path("spec"));
          return List.of(name(cj), text(spec, "schedule"), Cells.orNone(text(spec, "timeZone")),
              suspend.isBoolean() ? (suspend.asBoolean() ? "True" : "False") : "<unset>",
              (long) cj.path("status").path("active").size(), last.isEmpty() ? Cells.NONE : since(last, now),
              age(cj, now), ci[0], ci[1], Cells.selector(jobSpec.path("selector")));
        });
  }

  private static String jobStatus(JsonNode job) {
    if (condition(job, "Complete")) {
      return "Complete";
    } else if (condition(job, "Failed")) {
      return "Failed";
    } else if (!text(job, "metadata", "deletionTimestamp").isEmpty()) {
      return "Terminating";
    } else if (condition(job, "Suspended")) {
      return "Suspended";
    } else if (condition(job, "FailureTarget")) {
      return "FailureTarget";
    } else if (condition(job, "SuccessCriteriaMet")) {
      return "SuccessCriteriaMet";
    }
    return "Running";
  }

  private static String completions(JsonNode job) {
    long succeeded = num(job, 0, "status", "succeeded");
    JsonNode spec = job.path("spec");
    if (spec.path("completions").isNumber()) {
      return succeeded + "/" + spec.path("completions").asLong();
    }
    long parallelism = num(spec, 0, "parallelism");
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  private static String duration(JsonNode job, Instant now) {
    Instant start = Cells.time(text(job, "status", "startTime"));
    if (start == null) {
      return "";
    }
    Instant end = Cells.time(text(job, "status", "completionTime"));
    return Cells.humanDuration(Duration.between(start, end == null ? now : end));
  }

  private static boolean condition(JsonNode obj, String type) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if (text(c, "type").equals(type) && text(c, "status").equals("True")) {
        return true;
      }
    }
    return false;
  }

  /** Appends the wide Containers, Images (and Selector) cells of {@code spec.template}. */
  private static List<Object> withTemplate(JsonNode obj, List<Object> cells, boolean selector) {
    List<Object> out = new ArrayList<>(cells);
    String[] ci = Cells.containersAndImages(obj.path("spec").path("template").path("spec"));
    out.add(ci[0]);
    out.add(ci[1]);
    if (selector) {
      out.add(Cells.selector(obj.path("spec").path("selector")));
    }
    return out;
  }

  static String name(JsonNode obj) {
    return text(obj, "metadata", "name");
  }

  static String age(JsonNode obj, Instant now) {
    return since(text(obj, "metadata", "creationTimestamp"), now);
  }
}
