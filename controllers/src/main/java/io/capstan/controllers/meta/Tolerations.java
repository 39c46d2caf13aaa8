package io.capstan.controllers.meta;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/**
 * Whether tolerations tolerate a taint, as core/v1 defines it: the toleration's effect must be
 * empty (every effect) or the taint's; an empty key tolerates every taint with operator Exists
 * (and nothing otherwise, which the API server would reject); a non-empty key must be the
 * taint's, and then operator Exists tolerates any value and Equal (the default when the operator
 * is empty) only the same value, a missing value counting as empty. Unknown operators tolerate
 * nothing. Pure.
 */
public final class Tolerations {
  /** The taint effect that keeps new pods off a node. */
  public static final String NO_SCHEDULE = "NoSchedule";
  /** The taint effect that also evicts running pods. */
  public static final String NO_EXECUTE = "NoExecute";

  private Tolerations() {}

  /** Whether {@code t} tolerates {@code taint}. */
  public static boolean tolerates(Toleration t, Taint taint) {
    return tolerates(t, taint.getKey(), taint.getValue(), taint.getEffect());
  }

  /** Whether {@code t} tolerates a taint with this key, value and effect. */
  public static boolean tolerates(Toleration t, String key, String value, String effect) {
    if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(effect)) {
      return false;
    }
    String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    if (t.getKey() == null || t.getKey().isEmpty()) {
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

  /** Whether some toleration in {@code tolerations} (null: none) tolerates {@code taint}. */
  public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
    return anyTolerates(tolerations, taint.getKey(), taint.getValue(), taint.getEffect());
  }

  /** Whether some toleration in {@code tolerations} (null: none) tolerates this taint. */
  public static boolean anyTolerates(List<Toleration> tolerations, String key, String value, String effect) {
    if (tolerations == null) {
      return false;
    }
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
