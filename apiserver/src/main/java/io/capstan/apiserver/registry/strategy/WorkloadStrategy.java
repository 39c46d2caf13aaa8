package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * apps/v1 Deployments, ReplicaSets, StatefulSets and DaemonSets: their defaults, a pod template
 * whose labels the selector must match, selector immutability, status kept out of main writes.
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
    AppsDefaults.apply(kind, obj);
  }

  /** Deployments also count annotation changes: they are copied to the ReplicaSets. */
  @Override
  public boolean specChanged(ObjectNode obj, ObjectNode old) {
    return Immutable.specChanged(this, obj, old) || (kind.equals("Deployment")
        && !Immutable.same(obj.path("metadata").get("annotations"), old.path("metadata").get("annotations")));
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    Names.Format names = kind.equals("StatefulSet") ? Names.Format.LABEL : Names.Format.SUBDOMAIN;
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, names));
    errs.addAll(AppsValidation.validateSpec(kind, obj.path("spec")));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    errs.addAll(AppsValidation.validateSpec(kind, obj.path("spec")));
    if (kind.equals("StatefulSet")) {
      StatefulSetRules.validateUpdate(obj.path("spec"), old.path("spec"), errs);
    } else {
      Immutable.check(obj.path("spec").get("selector"), old.path("spec").get("selector"), "spec.selector", errs);
    }
    return errs;
  }
}
