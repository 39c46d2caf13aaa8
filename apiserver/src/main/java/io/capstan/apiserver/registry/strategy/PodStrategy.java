package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods: the pod spec defaults (including the Pod-only ones: requests from limits, service links,
 * host-network ports, service account "default"), validation, status Pending on create, and the
 * narrow set of spec fields an update may change.
 */
public final class PodStrategy implements Strategy {

  @Override
  public void prepareForCreate(ObjectNode obj) {
    ObjectNode status = obj.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", qosClass(obj.path("spec")));
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    StatusRules.keepStoredStatus(obj, old);
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Checks.object(obj, "spec");
    PodSpecDefaults.apply(spec);
    PodSpecDefaults.applyPodOnly(spec);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = validateObject(obj);
    JsonNode spec = obj.path("spec");
    if (!spec.path("ephemeralContainers").isEmpty()) {
      errs.add(FieldError.forbidden("spec.ephemeralContainers", "cannot be set on create"));
    }
    if (!Checks.text(spec, "nodeName").isEmpty() && !spec.path("schedulingGates").isEmpty()) {
      errs.add(FieldError.forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = validateObject(obj);
    errs.addAll(PodUpdateRules.validate(obj.path("spec"), old.path("spec")));
    return errs;
  }

  /**
   * As kube-apiserver's pod status strategy: the metadata, not the spec, which is the stored one
   * (validated when it was written). Every status write of a node agent comes here.
   */
  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
    return new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
  }

  private static List<FieldError> validateObject(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    errs.addAll(PodSpecValidation.validate(obj.path("spec"), "spec", true));
    return errs;
  }

  /** Validates a pod spec at {@code path} as a workload's pod template spec. */
  public static List<FieldError> validateSpec(JsonNode spec, String path) {
    return PodSpecValidation.validate(spec, path, false);
  }

  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : PodSpecDefaults.CONTAINER_LISTS) {
      for (JsonNode c : spec.path(list)) {
        JsonNode requests = c.path("resources").path("requests");
        JsonNode limits = c.path("resources").path("limits");
        for (String r : List.of("cpu", "memory")) {
          BigDecimal lim = Quantities.parse(limits.get(r));
          BigDecimal req = Quantities.parse(requests.get(r));
          if ((lim != null && lim.signum() != 0) || (req != null && req.signum() != 0)) {
            any = true;
          }
          if (lim == null || (req != null && req.compareTo(lim) != 0)) {
            guaranteed = false;
          }
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
