package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * batch/v1 Jobs: defaults, the selector and pod labels generated from the job's uid (unless
 * {@code manualSelector}), validation, and what an update may change.
 */
public final class JobStrategy implements Strategy {
  private static final List<String> IMMUTABLE = List.of("selector", "completionMode", "podFailurePolicy",
      "backoffLimitPerIndex", "managedBy", "successPolicy");
  /** Template fields a suspended job that never started may still change. */
  private static final List<String> SCHEDULING = List.of("nodeSelector", "tolerations", "affinity",
      "schedulingGates");

  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.remove("status");
    if (!obj.path("spec").path("manualSelector").asBoolean(false)) {
      generateSelector(obj);
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    StatusRules.keepStoredStatus(obj, old);
  }

  /**
   * Labels the template with the job's uid and name and selects the uid label. The name may not be
   * known yet (generateName): {@link #applyDefaults} completes the name labels.
   */
  static void generateSelector(ObjectNode obj) {
    ObjectNode meta = Json.metadata(obj);
    String uid = meta.path("uid").asText("");
    String name = meta.path("name").asText("");
    ObjectNode spec = Checks.object(obj, "spec");
    ObjectNode labels = Checks.object(Checks.object(Checks.object(spec, "template"), "metadata"), "labels");
    for (String key : List.of(JobValidation.LEGACY_UID, JobValidation.UID)) {
      if (!labels.has(key)) {
        labels.put(key, uid);
      }
    }
    if (!name.isEmpty()) {
      nameLabels(labels, name);
    }
    ObjectNode selector = Checks.object(spec, "selector");
    ObjectNode matchLabels = Checks.object(selector, "matchLabels");
    if (!matchLabels.has(JobValidation.UID)) {
      matchLabels.put(JobValidation.UID, uid);
    }
  }

  private static void nameLabels(ObjectNode labels, String name) {
    for (String key : List.of(JobValidation.LEGACY_NAME, JobValidation.NAME)) {
      if (!labels.has(key)) {
        labels.put(key, name);
      }
    }
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Checks.object(obj, "spec");
    boolean counts = Checks.present(spec.get("completions")) || Checks.present(spec.get("parallelism"));
    if (!counts) {
      spec.put("completions", 1);
    }
    AppsDefaults.intIfUnset(spec, "parallelism", 1);
    if (!Checks.present(spec.get("backoffLimit"))) {
      spec.put("backoffLimit", Checks.present(spec.get("backoffLimitPerIndex")) ? Checks.MAX_INT32 : 6);
    }
    ContainerDefaults.putIfUnset(spec, "completionMode", "NonIndexed");
    if (!Checks.present(spec.get("suspend"))) {
      spec.put("suspend", false);
    }
    ContainerDefaults.putIfUnset(spec, "podReplacementPolicy",
        Checks.present(spec.get("podFailurePolicy")) ? "Failed" : "TerminatingOrFailed");
    if (!Checks.present(spec.get("manualSelector"))) {
      spec.put("manualSelector", false);
    }
    for (JsonNode rule : spec.path("podFailurePolicy").path("rules")) {
      for (JsonNode pattern : rule.path("onPodConditions")) {
        if (pattern instanceof ObjectNode p) {
          ContainerDefaults.putIfUnset(p, "status", "True");
        }
      }
    }
    ObjectNode meta = Json.metadata(obj);
    JsonNode templateLabels = spec.path("template").path("metadata").get("labels");
    String uid = meta.path("uid").asText("");
    if (templateLabels instanceof ObjectNode labels && !uid.isEmpty()
        && uid.equals(labels.path(JobValidation.UID).asText()) && !meta.path("name").asText("").isEmpty()) {
      nameLabels(labels, meta.path("name").asText());
    }
    if (Checks.present(templateLabels) && meta.path("labels").isEmpty()) {
      meta.set("labels", templateLabels.deepCopy());
    }
    Templates.applyDefaults(spec);
  }

  @Override
  public boolean specChanged(ObjectNode obj, ObjectNode old) {
    return Immutable.specChanged(this, obj, old);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    JobValidation.job(obj, true, errs);
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    JsonNode oldLabels = old.path("spec").path("template").path("metadata").path("labels");
    boolean generated = oldLabels.has(JobValidation.LEGACY_UID) || oldLabels.has(JobValidation.UID);
    if (generated || obj.path("spec").path("manualSelector").asBoolean(false)) {
      JobValidation.job(obj, oldLabels.has(JobValidation.UID), errs);
    } else {
      // Stored before selectors were generated: validate the spec without the generated labels.
      JobValidation.jobSpec(obj.path("spec"), "spec", errs);
    }
    updateRules(obj.path("spec"), old, errs);
    return errs;
  }

  private static void updateRules(JsonNode spec, ObjectNode old, List<FieldError> errs) {
    JsonNode before = old.path("spec");
    JsonNode completions = spec.get("completions");
    if (!Immutable.same(completions, before.get("completions"))) {
      if (Checks.text(spec, "completionMode").equals("Indexed")) {
        if (!Immutable.same(completions, spec.get("parallelism"))) {
          errs.add(FieldError.invalid("spec.completions", Immutable.shown(completions),
              "can only be modified in tandem with spec.parallelism"));
        }
      } else {
        Immutable.check(completions, before.get("completions"), "spec.completions", errs);
      }
    }
    for (String f : IMMUTABLE) {
      Immutable.check(spec.get(f), before.get(f), "spec." + f, errs);
    }
    JsonNode template = spec.path("template");
    JsonNode oldTemplate = before.path("template");
    boolean suspendedNeverStarted = before.path("suspend").asBoolean(false)
        && !Checks.present(old.path("status").get("startTime"));
    if (suspendedNeverStarted && template.isObject() && oldTemplate.isObject()) {
      ObjectNode relaxed = oldTemplate.deepCopy();
      ObjectNode meta = Checks.object(relaxed, "metadata");
      copy(template.path("metadata"), meta, "labels");
      copy(template.path("metadata"), meta, "annotations");
      ObjectNode podSpec = Checks.object(relaxed, "spec");
      SCHEDULING.forEach(f -> copy(template.path("spec"), podSpec, f));
      oldTemplate = relaxed;
    }
    Immutable.check(template, oldTemplate, "spec.template", errs);
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v == null) {
      to.remove(field);
    } else {
      to.set(field, v.deepCopy());
    }
  }
}
