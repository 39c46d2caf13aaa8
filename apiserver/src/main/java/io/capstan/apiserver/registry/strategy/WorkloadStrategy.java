package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.selection.LabelSelectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs: a pod template whose labels the
 * selector must match, replicas not negative, the kind's defaults, status kept out of main writes.
 */
public final class WorkloadStrategy implements Strategy {
  private final String kind;

  public WorkloadStrategy(String kind) {
    this.kind = kind;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.remove("status");
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    StatusRules.keepStoredStatus(obj, old);
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = obj.withObject("/spec");
    switch (kind) {
      case "Deployment" -> {
        spec.putIfAbsent("replicas", spec.numberNode(1));
        spec.putIfAbsent("revisionHistoryLimit", spec.numberNode(10));
        spec.putIfAbsent("progressDeadlineSeconds", spec.numberNode(600));
        ObjectNode strategy = spec.withObject("/strategy");
        strategy.putIfAbsent("type", strategy.textNode("RollingUpdate"));
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
          ObjectNode ru = strategy.withObject("/rollingUpdate");
          ru.putIfAbsent("maxUnavailable", ru.textNode("25%"));
          ru.putIfAbsent("maxSurge", ru.textNode("25%"));
        }
      }
      case "ReplicaSet", "StatefulSet" -> spec.putIfAbsent("replicas", spec.numberNode(1));
      case "Job" -> {
        spec.putIfAbsent("parallelism", spec.numberNode(1));
        spec.putIfAbsent("completions", spec.numberNode(1));
        spec.putIfAbsent("backoffLimit", spec.numberNode(6));
      }
      default -> { }
    }
    JsonNode podSpec = spec.path("template").path("spec");
    if (podSpec instanceof ObjectNode ps) {
      new PodStrategy().applyDefaults(spec.withObject("/template"));
      ps.remove("serviceAccountName");
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    JsonNode spec = obj.path("spec");
    JsonNode replicas = spec.get("replicas");
    if (replicas != null && (!replicas.isInt() || replicas.asInt() < 0)) {
      errs.add(FieldError.invalid("spec.replicas", replicas.asText(), "must be greater than or equal to 0"));
    }
    JsonNode selector = spec.get("selector");
    JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
    if (!kind.equals("Job")) {
      if (selector == null || selector.isEmpty()) {
        errs.add(FieldError.required("spec.selector", ""));
      } else if (!LabelSelectors.matchesLabelSelector(selector, templateLabels)) {
        errs.add(FieldError.invalid("spec.template.metadata.labels", templateLabels.toString(),
            "`selector` does not match template `labels`"));
      }
    }
    if (!spec.path("template").isObject()) {
      errs.add(FieldError.required("spec.template", ""));
    } else {
      errs.addAll(PodStrategy.validateSpec(spec.path("template").path("spec"), "spec.template.spec"));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>(validate(obj));
    if (!kind.equals("Job") && !java.util.Objects.equals(obj.path("spec").get("selector"), old.path("spec").get("selector"))) {
      errs.add(FieldError.invalid("spec.selector", obj.path("spec").path("selector").toString(), "field is immutable"));
    }
    return errs;
  }
}
