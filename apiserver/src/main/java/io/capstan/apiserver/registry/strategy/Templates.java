package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.selection.LabelSelectors;
import java.util.ArrayList;
import java.util.List;

/** Pod templates of workloads: their defaults, validation, and the selector that must match them. */
final class Templates {
  private Templates() {}

  /** Applies the pod spec defaults to {@code parent.template} (created if absent, as Go's zero value). */
  static void applyDefaults(ObjectNode parent) {
    ObjectNode template = Checks.object(parent, "template");
    PodSpecDefaults.apply(Checks.object(template, "spec"));
  }

  /** ValidatePodTemplateSpec: labels, annotations, the pod spec, no ephemeral containers. */
  static List<FieldError> validate(JsonNode template, String path) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode meta = template.path("metadata");
    errs.addAll(MetadataValidation.labels(meta.get("labels"), path + ".labels"));
    errs.addAll(MetadataValidation.annotations(meta.get("annotations"), path + ".annotations"));
    errs.addAll(PodSpecValidation.validate(template.path("spec"), path + ".spec", false));
    if (!template.path("spec").path("ephemeralContainers").isEmpty()) {
      errs.add(FieldError.forbidden(path + ".spec.ephemeralContainers", "ephemeral containers not allowed in pod template"));
    }
    return errs;
  }

  /**
   * The template's labels must satisfy the selector. An absent selector matches nothing and an
   * empty one everything, as apimachinery's LabelSelectorAsSelector.
   */
  static void selectorMatches(JsonNode selector, JsonNode template, String path, List<FieldError> errs) {
    JsonNode labels = template.path("metadata").path("labels");
    boolean matches = Checks.present(selector)
        && (Selectors.isEmpty(selector) || LabelSelectors.matchesLabelSelector(selector, labels));
    if (!matches) {
      errs.add(FieldError.invalid(path + ".metadata.labels", Checks.goMap(labels),
          "`selector` does not match template `labels`"));
    }
  }

  /** The restart policy of controllers whose pods run forever, and no active deadline. */
  static void alwaysRestart(JsonNode template, String path, String kind, List<FieldError> errs) {
    JsonNode spec = template.path("spec");
    String restart = Checks.text(spec, "restartPolicy");
    if (!restart.equals("Always")) {
      errs.add(FieldError.notSupported(path + ".spec.restartPolicy", restart, List.of("Always")));
    }
    if (Checks.present(spec.get("activeDeadlineSeconds"))) {
      errs.add(FieldError.forbidden(path + ".spec.activeDeadlineSeconds",
          "activeDeadlineSeconds in " + kind + " is not Supported"));
    }
  }
}
