package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.selection.LabelSelectors;
import java.util.List;

/** batch/v1 JobSpec validation, shared by Jobs and the job templates of CronJobs. */
final class JobValidation {
  static final String LEGACY_UID = "controller-uid";
  static final String LEGACY_NAME = "job-name";
  static final String UID = "batch.kubernetes.io/controller-uid";
  static final String NAME = "batch.kubernetes.io/job-name";
  private static final List<String> MODES = List.of("NonIndexed", "Indexed");
  private static final List<String> REPLACEMENT = List.of("Failed", "TerminatingOrFailed");
  private static final long MAX_INDEXED_PARALLELISM = 100000;

  private JobValidation() {}

  /** validateJobSpec: counts, completion mode, replacement policy, the pod template. */
  static void jobSpec(JsonNode spec, String path, List<FieldError> errs) {
    for (String f : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
        "ttlSecondsAfterFinished")) {
      Checks.nonNegative(spec, f, path + "." + f, errs);
    }
    String mode = Checks.text(spec, "completionMode");
    if (Checks.present(spec.get("completionMode"))) {
      if (!MODES.contains(mode)) {
        errs.add(FieldError.notSupported(path + ".completionMode", mode, MODES));
      }
      if (mode.equals("Indexed")) {
        if (!Checks.present(spec.get("completions"))) {
          errs.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
        }
        JsonNode parallelism = spec.get("parallelism");
        if (Checks.isInt(parallelism) && parallelism.asLong() > MAX_INDEXED_PARALLELISM) {
          errs.add(FieldError.invalid(path + ".parallelism", parallelism.asLong(),
              "must be less than or equal to " + MAX_INDEXED_PARALLELISM + " when completion mode is Indexed"));
        }
      }
    }
    JsonNode perIndex = spec.get("backoffLimitPerIndex");
    if (Checks.present(perIndex)) {
      Checks.nonNegative(spec, "backoffLimitPerIndex", path + ".backoffLimitPerIndex", errs);
      if (!mode.equals("Indexed")) {
        errs.add(FieldError.invalid(path + ".backoffLimitPerIndex", perIndex.asLong(),
            "requires indexed completion mode"));
      }
    }
    boolean failurePolicy = Checks.present(spec.get("podFailurePolicy"));
    if (Checks.present(spec.get("podReplacementPolicy"))) {
      String replacement = Checks.text(spec, "podReplacementPolicy");
      if (failurePolicy && !replacement.equals("Failed")) {
        errs.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement, List.of("Failed")));
      } else if (!REPLACEMENT.contains(replacement)) {
        errs.add(FieldError.notSupported(path + ".podReplacementPolicy", replacement, REPLACEMENT));
      }
    }
    JsonNode template = spec.path("template");
    errs.addAll(Templates.validate(template, path + ".template"));
    String restart = Checks.text(template.path("spec"), "restartPolicy");
    if (!restart.equals("OnFailure") && !restart.equals("Never")) {
      errs.add(FieldError.notSupported(path + ".template.spec.restartPolicy", restart, List.of("OnFailure", "Never")));
    } else if (restart.equals("OnFailure") && failurePolicy) {
      errs.add(FieldError.invalid(path + ".template.spec.restartPolicy", restart,
          "only \"Never\" is supported when podFailurePolicy is specified"));
    }
  }

  /** ValidateJob for a Job object's spec: the job spec plus its selector. */
  static void job(ObjectNode obj, boolean prefixedLabels, List<FieldError> errs) {
    JsonNode spec = obj.path("spec");
    if (!spec.path("manualSelector").asBoolean(false)) {
      generatedSelector(obj, prefixedLabels, errs);
    }
    jobSpec(spec, "spec", errs);
    JsonNode selector = spec.get("selector");
    if (!Checks.present(selector)) {
      errs.add(FieldError.required("spec.selector", ""));
    } else {
      Selectors.validate(selector, "spec.selector", errs);
    }
    Templates.selectorMatches(selector, spec.path("template"), "spec.template", errs);
    JsonNode completions = spec.get("completions");
    if (Checks.text(spec, "completionMode").equals("Indexed") && Checks.isInt(completions) && completions.asLong() > 0) {
      String name = obj.path("metadata").path("name").asText("");
      String hostname = name + "-" + (completions.asLong() - 1);
      if (!Names.isLabel(hostname)) {
        errs.add(FieldError.invalid("metadata.name", name,
            "will not able to create pod with invalid DNS label: " + hostname));
      }
    }
  }

  /** Without manualSelector, the selector and template labels must be the generated ones. */
  private static void generatedSelector(ObjectNode obj, boolean prefixedLabels, List<FieldError> errs) {
    JsonNode spec = obj.path("spec");
    String uid = obj.path("metadata").path("uid").asText("");
    String name = obj.path("metadata").path("name").asText("");
    JsonNode labels = spec.path("template").path("metadata").get("labels");
    if (!Checks.present(labels)) {
      errs.add(FieldError.required("spec.template.metadata.labels", ""));
    }
    JsonNode selector = spec.get("selector");
    if (!Checks.present(selector)) {
      errs.add(FieldError.required("spec.selector", ""));
      return;
    }
    hasLabel(labels, LEGACY_UID, uid, errs);
    hasLabel(labels, LEGACY_NAME, name, errs);
    ObjectNode expected = obj.objectNode();
    if (prefixedLabels) {
      hasLabel(labels, UID, uid, errs);
      hasLabel(labels, NAME, name, errs);
      expected.put(UID, uid);
    } else {
      expected.put(LEGACY_UID, uid);
    }
    if (!LabelSelectors.matchesLabelSelector(selector, expected)) {
      errs.add(FieldError.invalid("spec.selector", Checks.json(selector), "`selector` not auto-generated"));
    }
  }

  private static void hasLabel(JsonNode labels, String key, String expected, List<FieldError> errs) {
    String path = "spec.template.metadata.labels[" + key + "]";
    JsonNode actual = labels == null ? null : labels.get(key);
    if (!Checks.present(actual)) {
      errs.add(FieldError.required(path, "must be '" + expected + "'"));
    } else if (!actual.asText().equals(expected)) {
      errs.add(FieldError.invalid(path, Checks.goMap(labels), "must be '" + expected + "'"));
    }
  }
}
