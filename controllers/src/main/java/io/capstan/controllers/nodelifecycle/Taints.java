package io.capstan.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The node condition taints, with Kubernetes' semantics (toleration matching: {@link io.capstan.controllers.meta.Tolerations}). */
final class Taints {
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String NO_EXECUTE = "NoExecute";
  static final String NO_SCHEDULE = "NoSchedule";

  private Taints() {}

  static List<Taint> of(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  /**
   * {@code current} with the condition taints this controller owns set for a Ready condition of
   * {@code ready} ("True", "False", "Unknown"; null leaves them as they are): unreachable for
   * Unknown, not-ready for False, none for True. Taints kept keep their timeAdded.
   */
  static List<Taint> desired(List<Taint> current, String ready, Instant now) {
    if (ready == null) {
      return current;
    }
    String wanted = switch (ready) {
      case "Unknown" -> UNREACHABLE;
      case "False" -> NOT_READY;
      default -> null;
    };
    List<Taint> out = new ArrayList<>();
    for (Taint t : current) {
      boolean ours = UNREACHABLE.equals(t.getKey()) || NOT_READY.equals(t.getKey());
      if (!ours || (t.getKey().equals(wanted) && (NO_EXECUTE.equals(t.getEffect()) || NO_SCHEDULE.equals(t.getEffect())))) {
        out.add(t);
      }
    }
    if (wanted != null) {
      String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
      for (String effect : List.of(NO_SCHEDULE, NO_EXECUTE)) {
        if (out.stream().noneMatch(t -> wanted.equals(t.getKey()) && effect.equals(t.getEffect()))) {
          out.add(new Taint(effect, wanted, effect.equals(NO_EXECUTE) ? time : null, null));
        }
      }
    }
    return out;
  }
}
