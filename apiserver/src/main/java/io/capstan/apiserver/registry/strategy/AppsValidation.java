package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Spec validation of apps/v1 Deployments, ReplicaSets, StatefulSets and DaemonSets. */
final class AppsValidation {
  private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

  private AppsValidation() {}

  static List<FieldError> validateSpec(String kind, JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    switch (kind) {
      case "Deployment" -> deployment(spec, errs);
      case "ReplicaSet" -> replicaSet(spec, errs);
      case "StatefulSet" -> StatefulSetRules.validateSpec(spec, errs);
      case "DaemonSet" -> daemonSet(spec, errs);
      default -> { }
    }
    return errs;
  }

  private static void deployment(JsonNode spec, List<FieldError> errs) {
    replicaSet(spec, errs);
    strategy(spec.path("strategy"), errs);
    long minReady = spec.path("minReadySeconds").asLong(0);
    Checks.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errs);
    JsonNode deadline = spec.get("progressDeadlineSeconds");
    if (Checks.present(deadline)) {
      Checks.nonNegative(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds", errs);
      if (deadline.asLong() <= minReady) {
        errs.add(FieldError.invalid("spec.progressDeadlineSeconds", deadline.asLong(),
            "must be greater than minReadySeconds"));
      }
    }
  }

  /** ReplicaSets, and the part of a Deployment spec they share. */
  private static void replicaSet(JsonNode spec, List<FieldError> errs) {
    Checks.nonNegative(spec, "replicas", "spec.replicas", errs);
    Checks.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", errs);
    requiredSelector(spec, "deployment", errs);
    JsonNode template = spec.path("template");
    Templates.selectorMatches(spec.get("selector"), template, "spec.template", errs);
    errs.addAll(Templates.validate(template, "spec.template"));
    Templates.alwaysRestart(template, "spec.template", "ReplicaSet", errs);
  }

  private static void daemonSet(JsonNode spec, List<FieldError> errs) {
    JsonNode selector = spec.get("selector");
    Selectors.validate(selector, "spec.selector", errs);
    JsonNode template = spec.path("template");
    Templates.selectorMatches(selector, template, "spec.template", errs);
    if (Checks.present(selector) && Selectors.isEmpty(selector)) {
      errs.add(FieldError.invalid("spec.selector", Checks.json(selector), "empty selector is invalid for daemonset"));
    }
    errs.addAll(Templates.validate(template, "spec.template"));
    Templates.alwaysRestart(template, "spec.template", "DaemonSet", errs);
    Checks.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", errs);
    JsonNode strategy = spec.path("updateStrategy");
    String type = Checks.text(strategy, "type");
    switch (type) {
      case "OnDelete" -> { }
      case "RollingUpdate" -> {
        JsonNode ru = strategy.get("rollingUpdate");
        if (!Checks.present(ru)) {
          errs.add(FieldError.required("spec.updateStrategy.rollingUpdate", ""));
        } else {
          String at = "spec.updateStrategy.rollingUpdate";
          JsonNode unavailable = ru.get("maxUnavailable");
          JsonNode surge = ru.get("maxSurge");
          intOrPercent(unavailable, at + ".maxUnavailable", errs);
          intOrPercent(surge, at + ".maxSurge", errs);
          notAbove100(unavailable, at + ".maxUnavailable", errs);
          notAbove100(surge, at + ".maxSurge", errs);
          boolean hasUnavailable = value(unavailable) != 0;
          boolean hasSurge = value(surge) != 0;
          if (hasUnavailable && hasSurge) {
            errs.add(FieldError.invalid(at + ".maxSurge", shown(surge), "may not be set when maxUnavailable is non-zero"));
          } else if (!hasUnavailable && !hasSurge) {
            errs.add(FieldError.required(at + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
          }
        }
      }
      default -> errs.add(FieldError.notSupported("spec.updateStrategy", type, List.of("RollingUpdate", "OnDelete")));
    }
    Checks.nonNegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errs);
  }

  private static void strategy(JsonNode strategy, List<FieldError> errs) {
    String type = Checks.text(strategy, "type");
    JsonNode ru = strategy.get("rollingUpdate");
    switch (type) {
      case "Recreate" -> {
        if (Checks.present(ru)) {
          errs.add(FieldError.forbidden("spec.strategy.rollingUpdate",
              "may not be specified when strategy `type` is 'Recreate'"));
        }
      }
      case "RollingUpdate" -> {
        if (!Checks.present(ru)) {
          errs.add(FieldError.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
          return;
        }
        String at = "spec.strategy.rollingUpdate";
        intOrPercent(ru.get("maxUnavailable"), at + ".maxUnavailable", errs);
        intOrPercent(ru.get("maxSurge"), at + ".maxSurge", errs);
        if (value(ru.get("maxUnavailable")) == 0 && value(ru.get("maxSurge")) == 0) {
          errs.add(FieldError.invalid(at + ".maxUnavailable", shown(ru.get("maxUnavailable")),
              "may not be 0 when `maxSurge` is 0"));
        }
        notAbove100(ru.get("maxUnavailable"), at + ".maxUnavailable", errs);
      }
      default -> errs.add(FieldError.notSupported("spec.strategy", type, List.of("Recreate", "RollingUpdate")));
    }
  }

  /** A selector that must be given and not be empty. */
  static void requiredSelector(JsonNode spec, String noun, List<FieldError> errs) {
    JsonNode selector = spec.get("selector");
    if (!Checks.present(selector)) {
      errs.add(FieldError.required("spec.selector", ""));
      return;
    }
    Selectors.validate(selector, "spec.selector", errs);
    if (Selectors.isEmpty(selector)) {
      errs.add(FieldError.invalid("spec.selector", Checks.json(selector), "empty selector is invalid for " + noun));
    }
  }

  /** ValidatePositiveIntOrPercent: a non-negative integer or a "N%" string. */
  static void intOrPercent(JsonNode v, String path, List<FieldError> errs) {
    if (!Checks.present(v)) {
      return;
    }
    if (v.isTextual()) {
      if (!PERCENT.matcher(v.asText()).matches()) {
        errs.add(FieldError.invalid(path, shown(v), MetadataValidation.regexError("a valid percent string must be "
            + "a numeric string followed by an ending '%'", PERCENT.pattern(), "1%", "93%")));
      }
    } else if (v.isIntegralNumber()) {
      if (v.asLong() < 0) {
        errs.add(FieldError.invalid(path, v.asLong(), Checks.NON_NEGATIVE));
      }
    } else {
      errs.add(FieldError.invalid(path, shown(v), "must be an integer or percentage (e.g '5%')"));
    }
  }

  static void notAbove100(JsonNode v, String path, List<FieldError> errs) {
    if (Checks.present(v) && v.isTextual() && PERCENT.matcher(v.asText()).matches() && value(v) > 100) {
      errs.add(FieldError.invalid(path, shown(v), "must not be greater than 100%"));
    }
  }

  /** The number in an int-or-percent; 0 for anything unparsable, as IntOrString does. */
  static long value(JsonNode v) {
    if (!Checks.present(v)) {
      return 0;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    String s = v.asText();
    try {
      return Long.parseLong(PERCENT.matcher(s).matches() ? s.substring(0, s.length() - 1) : s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** An int-or-string shown as IntOrString prints itself: without quotes. */
  static Object shown(JsonNode v) {
    return Checks.raw(Checks.present(v) ? v.asText() : "0");
  }
}
