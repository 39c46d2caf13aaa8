package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;

/**
 * StatefulSet spec validation and update rules. As upstream, the pod template is checked for its
 * labels, annotations, restart policy and deadline but its pod spec is not validated.
 */
final class StatefulSetRules {
  private static final List<String> RETENTION = List.of("Retain", "Delete");
  private static final List<String> UPDATABLE = List.of("replicas", "ordinals", "template", "updateStrategy",
      "persistentVolumeClaimRetentionPolicy", "minReadySeconds");

  private StatefulSetRules() {}

  static void validateSpec(JsonNode spec, List<FieldError> errs) {
    String policy = Checks.text(spec, "podManagementPolicy");
    if (policy.isEmpty()) {
      errs.add(FieldError.required("spec.podManagementPolicy", ""));
    } else if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
      errs.add(FieldError.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"));
    }
    updateStrategy(spec.path("updateStrategy"), errs);
    JsonNode retention = spec.path("persistentVolumeClaimRetentionPolicy");
    if (Checks.present(spec.get("persistentVolumeClaimRetentionPolicy"))) {
      for (String f : List.of("whenDeleted", "whenScaled")) {
        String v = Checks.text(retention, f);
        if (!RETENTION.contains(v)) {
          errs.add(FieldError.notSupported("spec.persistentVolumeClaimRetentionPolicy." + f, v, RETENTION));
        }
      }
    }
    Checks.nonNegative(spec, "replicas", "spec.replicas", errs);
    Checks.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", errs);
    Checks.nonNegative(spec.path("ordinals"), "start", "spec.ordinals.start", errs);
    AppsValidation.requiredSelector(spec, "statefulset", errs);
    JsonNode template = spec.path("template");
    Templates.selectorMatches(spec.get("selector"), template, "spec.template", errs);
    JsonNode meta = template.path("metadata");
    errs.addAll(MetadataValidation.labels(meta.get("labels"), "spec.template.labels"));
    errs.addAll(MetadataValidation.annotations(meta.get("annotations"), "spec.template.annotations"));
    Templates.alwaysRestart(template, "spec.template", "StatefulSet", errs);
  }

  private static void updateStrategy(JsonNode strategy, List<FieldError> errs) {
    String type = Checks.text(strategy, "type");
    JsonNode ru = strategy.get("rollingUpdate");
    String at = "spec.updateStrategy.rollingUpdate";
    switch (type) {
      case "" -> errs.add(FieldError.required("spec.updateStrategy", ""));
      case "OnDelete" -> {
        if (Checks.present(ru)) {
          errs.add(FieldError.invalid(at, Checks.json(ru), "only allowed for updateStrategy 'RollingUpdate'"));
        }
      }
      case "RollingUpdate" -> {
        if (Checks.present(ru)) {
          Checks.nonNegative(ru, "partition", at + ".partition", errs);
          JsonNode maxUnavailable = ru.get("maxUnavailable");
          if (Checks.present(maxUnavailable)) {
            AppsValidation.intOrPercent(maxUnavailable, at + ".maxUnavailable", errs);
            if (AppsValidation.value(maxUnavailable) == 0) {
              errs.add(FieldError.invalid(at + ".maxUnavailable", AppsValidation.shown(maxUnavailable), "cannot be 0"));
            }
            AppsValidation.notAbove100(maxUnavailable, at + ".maxUnavailable", errs);
          }
        }
      }
      default -> errs.add(FieldError.invalid("spec.updateStrategy", Checks.json(strategy),
          "must be 'RollingUpdate' or 'OnDelete'"));
    }
  }

  /** Only replicas, ordinals, template, updateStrategy, retention policy and minReadySeconds change. */
  static void validateUpdate(JsonNode spec, JsonNode old, List<FieldError> errs) {
    ObjectNode munged = spec instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
    for (String f : UPDATABLE) {
      JsonNode v = old.get(f);
      if (v == null) {
        munged.remove(f);
      } else {
        munged.set(f, v.deepCopy());
      }
    }
    if (!Immutable.same(munged, old)) {
      errs.add(FieldError.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', "
          + "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
          + "'minReadySeconds' are forbidden"));
    }
  }
}
