package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;

/** Pod tolerations: key, operator and effect rules, and the additions-only update rule. */
final class Tolerations {
  private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private Tolerations() {}

  static void validate(JsonNode tolerations, String path, List<FieldError> errs) {
    for (int i = 0; i < tolerations.size(); i++) {
      JsonNode t = tolerations.get(i);
      String at = path + "[" + i + "]";
      String key = Checks.text(t, "key");
      String operator = Checks.text(t, "operator");
      String value = Checks.text(t, "value");
      String effect = Checks.text(t, "effect");
      if (!key.isEmpty()) {
        errs.addAll(MetadataValidation.qualifiedName(at + ".key", key));
      }
      if (key.isEmpty() && !operator.equals("Exists")) {
        errs.add(FieldError.invalid(at + ".operator", operator,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (Checks.present(t.get("tolerationSeconds")) && !effect.equals("NoExecute")) {
        errs.add(FieldError.invalid(at + ".effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (operator) {
        case "", "Equal" -> {
          List<String> msgs = MetadataValidation.labelValueErrors(value);
          if (!msgs.isEmpty()) {
            errs.add(FieldError.invalid(at + ".operator", value, String.join(";", msgs)));
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            errs.add(FieldError.invalid(at + ".operator", value, "value must be empty when `operator` is 'Exists'"));
          }
        }
        default -> errs.add(FieldError.notSupported(at + ".operator", operator, List.of("Equal", "Exists")));
      }
      if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(at + ".effect", effect, EFFECTS));
      }
    }
  }

  /** On pod update every existing toleration must remain, only its tolerationSeconds may change. */
  static void onlyAdditions(JsonNode now, JsonNode before, String path, List<FieldError> errs) {
    for (JsonNode old : before) {
      boolean found = false;
      for (JsonNode t : now) {
        if (withoutSeconds(old).equals(withoutSeconds(t))) {
          found = true;
          break;
        }
      }
      if (!found) {
        errs.add(FieldError.forbidden(path, "existing toleration can not be modified except its tolerationSeconds"));
        return;
      }
    }
  }

  private static JsonNode withoutSeconds(JsonNode t) {
    if (!(t instanceof ObjectNode o)) {
      return t;
    }
    ObjectNode copy = o.deepCopy();
    copy.remove("tolerationSeconds");
    return copy;
  }
}
