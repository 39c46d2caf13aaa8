package io.capstan.controllers.meta;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Matching labels against a {@link LabelSelector} as {@code metav1.LabelSelectorAsSelector}
 * does: a null selector matches nothing, an empty one everything; matchLabels and every
 * matchExpressions requirement (In, NotIn, Exists, DoesNotExist) must all hold.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    Map<String, String> want = selector.getMatchLabels();
    if (want != null) {
      for (Map.Entry<String, String> e : want.entrySet()) {
        if (!Objects.equals(have.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> requirements = selector.getMatchExpressions();
    if (requirements != null) {
      for (LabelSelectorRequirement r : requirements) {
        if (!holds(r, have)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether every label of {@code subset} is in {@code labels} with the same value. */
  public static boolean containsAll(Map<String, String> labels, Map<String, String> subset) {
    if (subset == null || subset.isEmpty()) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    return subset.entrySet().stream().allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()));
  }

  private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    switch (r.getOperator()) {
      case "In":
        return value != null && values.contains(value);
      case "NotIn":
        return value == null || !values.contains(value);
      case "Exists":
        return labels.containsKey(r.getKey());
      case "DoesNotExist":
        return !labels.containsKey(r.getKey());
      default:
        // The API server rejects other operators; an unknown one selects nothing.
        return false;
    }
  }
}
