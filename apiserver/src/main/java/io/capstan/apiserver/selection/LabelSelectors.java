package io.capstan.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** Evaluates a structured meta/v1 LabelSelector ({@code matchLabels}, {@code matchExpressions}). */
public final class LabelSelectors {
  private LabelSelectors() {}

  /**
   * Whether {@code labels} (a JSON object) satisfies {@code selector}. An empty selector matches
   * everything, as in apimachinery's LabelSelectorAsSelector.
   */
  public static boolean matchesLabelSelector(JsonNode selector, JsonNode labels) {
    JsonNode matchLabels = selector.path("matchLabels");
    var it = matchLabels.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      String value = labels.has(key) ? labels.get(key).asText() : null;
      Set<String> values = new HashSet<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      boolean ok = switch (expr.path("operator").asText()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
