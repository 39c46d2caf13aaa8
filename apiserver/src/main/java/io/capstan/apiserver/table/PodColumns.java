package io.capstan.apiserver.table;

import static io.capstan.apiserver.table.Cells.num;
import static io.capstan.apiserver.table.Cells.orNone;
import static io.capstan.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pod columns: Name, Ready, Status, Restarts, Age, and IP, Node, Nominated Node, Readiness Gates wide. */
final class PodColumns implements KindColumns {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.string("Ready", "Ready containers out of all containers of the pod."),
      Column.string("Status", "Summary of the pod's phase and its containers' states."),
      Column.string("Restarts", "Container restarts, with the time since the last one."),
      Column.age(),
      Column.wide("IP", "The pod's IP address."),
      Column.wide("Node", "The node the pod is bound to."),
      Column.wide("Nominated Node", "The node the scheduler nominated after preemption."),
      Column.wide("Readiness Gates", "Readiness gates that are true out of all readiness gates."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public String completedReason(JsonNode pod) {
    String phase = text(pod, "status", "phase");
    return phase.equals("Succeeded") || phase.equals("Failed") ? phase : null;
  }

  @Override
  public List<Object> cells(JsonNode pod, Instant now) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    String phase = text(status, "phase");
    String reason = text(status, "reason").isEmpty() ? phase : text(status, "reason");
    for (JsonNode c : status.path("conditions")) {
      if (text(c, "type").equals("PodScheduled") && text(c, "reason").equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }
    int total = spec.path("containers").size();
    Map<String, Boolean> sidecars = new HashMap<>();
    for (JsonNode ic : spec.path("initContainers")) {
      boolean sidecar = text(ic, "restartPolicy").equals("Always");
      sidecars.put(text(ic, "name"), sidecar);
      if (sidecar) {
        total++;
      }
    }
    int ready = 0;
    long restarts = 0;
    long sidecarRestarts = 0;
    Instant lastRestart = null;
    Instant lastSidecarRestart = null;
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode cs = initStatuses.get(i);
      long count = num(cs, 0, "restartCount");
      restarts += count;
      Instant finished = Cells.time(text(cs, "lastState", "terminated", "finishedAt"));
      lastRestart = later(lastRestart, finished);
      boolean sidecar = sidecars.getOrDefault(text(cs, "name"), false);
      if (sidecar) {
        sidecarRestarts += count;
        lastSidecarRestart = later(lastSidecarRestart, finished);
      }
      JsonNode terminated = cs.path("state").path("terminated");
      String waitingReason = text(cs, "state", "waiting", "reason");
      if (terminated.isObject() && num(terminated, 0, "exitCode") == 0) {
        continue;
      } else if (sidecar && Cells.bool(cs, "started")) {
        if (Cells.bool(cs, "ready")) {
          ready++;
        }
        continue;
      } else if (terminated.isObject()) {
        reason = terminatedReason("Init:", terminated);
      } else if (!waitingReason.isEmpty() && !waitingReason.equals("PodInitializing")) {
        reason = "Init:" + waitingReason;
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }
    if (!initializing || hasTrueCondition(status, "Initialized")) {
      restarts = sidecarRestarts;
      lastRestart = lastSidecarRestart;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode cs = statuses.get(i);
        restarts += num(cs, 0, "restartCount");
        lastRestart = later(lastRestart, Cells.time(text(cs, "lastState", "terminated", "finishedAt")));
        JsonNode state = cs.path("state");
        JsonNode terminated = state.path("terminated");
        if (!text(state, "waiting", "reason").isEmpty()) {
          reason = text(state, "waiting", "reason");
        } else if (terminated.isObject()) {
          reason = terminatedReason("", terminated);
        } else if (Cells.bool(cs, "ready") && state.path("running").isObject()) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = hasTrueCondition(status, "Ready") ? "Running" : "NotReady";
      }
    }
    boolean deleting = !text(pod, "metadata", "deletionTimestamp").isEmpty();
    if (deleting && text(status, "reason").equals("NodeLost")) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }
    String restartText = Long.toString(restarts);
    if (restarts != 0 && lastRestart != null) {
      restartText = restarts + " (" + Cells.humanDuration(java.time.Duration.between(lastRestart, now)) + " ago)";
    }
    String ip = status.path("podIPs").size() > 0 ? text(status.path("podIPs").get(0), "ip") : text(status, "podIP");
    return List.of(text(pod, "metadata", "name"), ready + "/" + total, reason, restartText,
        Cells.since(text(pod, "metadata", "creationTimestamp"), now), orNone(ip), orNone(text(spec, "nodeName")),
        orNone(text(status, "nominatedNodeName")), readinessGates(spec, status));
  }

  private static String terminatedReason(String prefix, JsonNode terminated) {
    String r = text(terminated, "reason");
    if (!r.isEmpty()) {
      return prefix + r;
    }
    long signal = num(terminated, 0, "signal");
    return signal != 0 ? prefix + "Signal:" + signal : prefix + "ExitCode:" + num(terminated, 0, "exitCode");
  }

  private static String readinessGates(JsonNode spec, JsonNode status) {
    JsonNode gates = spec.path("readinessGates");
    if (gates.size() == 0) {
      return Cells.NONE;
    }
    int trueGates = 0;
    for (JsonNode gate : gates) {
      for (JsonNode c : status.path("conditions")) {
        if (text(c, "type").equals(text(gate, "conditionType"))) {
          if (text(c, "status").equals("True")) {
            trueGates++;
          }
          break;
        }
      }
    }
    return trueGates + "/" + gates.size();
  }

  private static boolean hasTrueCondition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (text(c, "type").equals(type) && text(c, "status").equals("True")) {
        return true;
      }
    }
    return false;
  }

  private static Instant later(Instant a, Instant b) {
    return b == null ? a : a == null || b.isAfter(a) ? b : a;
  }
}
