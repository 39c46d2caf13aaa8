package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Whether tolerations tolerate a taint, as the core/v1 API defines it. */
final class Tolerations {
  static final String NO_SCHEDULE = "NoSchedule";
  static final String NO_EXECUTE = "NoExecute";

  private Tolerations() {}

  /**
   * A toleration tolerates a taint when its effect is empty or the same, its key is the same (an
   * empty key with operator Exists matches every key), and with operator Exists any value, with
   * Equal (or no operator) the same value.
   */
  static boolean tolerates(Toleration t, String key, String value, String effect) {
    if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(effect)) {
      return false;
    }
    String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    boolean anyKey = t.getKey() == null || t.getKey().isEmpty();
    if (anyKey) {
      return op.equals("Exists");
    }
    if (!t.getKey().equals(key)) {
      return false;
    }
    return switch (op) {
      case "Exists" -> true;
      case "Equal" -> Objects.equals(emptyIfNull(t.getValue()), emptyIfNull(value));
      default -> false;
    };
  }

  static boolean tolerates(List<Toleration> tolerations, Taint taint) {
    return tolerates(tolerations, taint.getKey(), taint.getValue(), taint.getEffect());
  }

  static boolean tolerates(List<Toleration> tolerations, String key, String value, String effect) {
    for (Toleration t : tolerations) {
      if (tolerates(t, key, value, effect)) {
        return true;
      }
    }
    return false;
  }

  private static String emptyIfNull(String s) {
    return s == null ? "" : s;
  }
}
