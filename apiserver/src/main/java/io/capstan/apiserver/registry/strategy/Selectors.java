package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;

/** meta/v1 LabelSelector validation: matchLabels as labels, matchExpressions' operators and values. */
final class Selectors {
  private Selectors() {}

  static boolean isEmpty(JsonNode selector) {
    return selector == null || (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty());
  }

  static void validate(JsonNode selector, String path, List<FieldError> errs) {
    if (!Checks.present(selector)) {
      return;
    }
    errs.addAll(MetadataValidation.labels(selector.get("matchLabels"), path + ".matchLabels"));
    JsonNode exprs = selector.path("matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      JsonNode e = exprs.get(i);
      String at = path + ".matchExpressions[" + i + "]";
      String op = Checks.text(e, "operator");
      JsonNode values = e.path("values");
      switch (op) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            errs.add(FieldError.required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            errs.add(FieldError.forbidden(at + ".values",
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default -> errs.add(FieldError.invalid(at + ".operator", op, "not a valid selector operator"));
      }
      errs.addAll(MetadataValidation.qualifiedName(at + ".key", Checks.text(e, "key")));
      for (int j = 0; j < values.size(); j++) {
        String v = values.get(j).asText();
        String vat = at + ".values[" + j + "]";
        MetadataValidation.labelValueErrors(v).forEach(m -> errs.add(FieldError.invalid(vat, v, m)));
      }
    }
  }
}
