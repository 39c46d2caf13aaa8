package io.capstan.controllers.simulate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod statuses a kubelet would post, as JSON merge patches of {@code status}: running (all
 * containers started and ready, the pod Ready) and finished (containers terminated).
 */
final class PodStatuses {
  static final String[] CONDITIONS = {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
      "PodScheduled"};

  private PodStatuses() {}

  /** Whether {@code pod} already shows what {@link #running} would write. */
  static boolean isRunningReady(Pod pod) {
    var s = pod.getStatus();
    return s != null && "Running".equals(s.getPhase()) && s.getPodIP() != null && !s.getPodIP().isEmpty()
        && s.getConditions() != null
        && s.getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean isFinished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** When the pod started: its {@code status.startTime}, or {@code null} when not started. */
  static Instant startTime(Pod pod) {
    String t = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    try {
      return t == null || t.isEmpty() ? null : Instant.parse(t);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Running and Ready, on {@code hostIp} with {@code podIp}, started at {@code start}. */
  static Map<String, Object> running(Pod pod, String hostIp, String podIp, Instant start, Instant now) {
    String started = ts(start);
    Map<String, Object> status = base(pod, "Running", hostIp, podIp, started, now, "True");
    List<Map<String, Object>> containers = new ArrayList<>();
    for (Container c : pod.getSpec().getContainers()) {
      Map<String, Object> cs = container(pod, c);
      cs.put("ready", true);
      cs.put("started", true);
      cs.put("state", Map.of("running", Map.of("startedAt", started)));
      containers.add(cs);
    }
    status.put("containerStatuses", containers);
    return Map.of("status", status);
  }

  /** Finished: Succeeded with exit code 0, or Failed with {@code exitCode}. */
  static Map<String, Object> finished(Pod pod, String hostIp, String podIp, Instant start, Instant now, int exitCode) {
    String started = ts(start);
    Map<String, Object> status = base(pod, exitCode == 0 ? "Succeeded" : "Failed", hostIp, podIp, started, now, "False");
    List<Map<String, Object>> containers = new ArrayList<>();
    for (Container c : pod.getSpec().getContainers()) {
      Map<String, Object> cs = container(pod, c);
      cs.put("ready", false);
      cs.put("started", false);
      Map<String, Object> terminated = new LinkedHashMap<>();
      terminated.put("exitCode", exitCode);
      terminated.put("reason", exitCode == 0 ? "Completed" : "Error");
      terminated.put("startedAt", started);
      terminated.put("finishedAt", ts(now));
      terminated.put("containerID", cs.get("containerID"));
      cs.put("state", Map.of("terminated", terminated));
      containers.add(cs);
    }
    status.put("containerStatuses", containers);
    return Map.of("status", status);
  }

  private static Map<String, Object> base(Pod pod, String phase, String hostIp, String podIp, String started,
      Instant now, String ready) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", phase);
    status.put("hostIP", hostIp);
    status.put("hostIPs", List.of(Map.of("ip", hostIp)));
    status.put("podIP", podIp);
    status.put("podIPs", List.of(Map.of("ip", podIp)));
    status.put("startTime", started);
    status.put("qosClass", pod.getStatus() != null && pod.getStatus().getQosClass() != null
        ? pod.getStatus().getQosClass() : "BestEffort");
    List<Map<String, Object>> conditions = new ArrayList<>();
    for (String type : CONDITIONS) {
      boolean readiness = type.equals("Ready") || type.equals("ContainersReady");
      String value = readiness ? ready : "True";
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("type", type);
      c.put("status", value);
      c.put("lastProbeTime", null);
      c.put("lastTransitionTime", transition(pod, type, value, readiness ? ts(now) : started));
      if (readiness && value.equals("False")) {
        c.put("reason", "PodCompleted");
      }
      conditions.add(c);
    }
    status.put("conditions", conditions);
    return status;
  }

  private static Map<String, Object> container(Pod pod, Container c) {
    Map<String, Object> cs = new LinkedHashMap<>();
    cs.put("name", c.getName());
    String image = c.getImage() == null ? "" : c.getImage();
    cs.put("image", image);
    cs.put("imageID", "sim://" + image);
    cs.put("containerID", "sim://" + pod.getMetadata().getUid() + "/" + c.getName());
    cs.put("restartCount", 0);
    return cs;
  }

  private static String transition(Pod pod, String type, String value, String fallback) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return fallback;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(PodCondition::getLastTransitionTime).findFirst().orElse(fallback);
  }

  private static String ts(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
