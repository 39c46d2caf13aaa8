package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a pod update may change in the spec: container and init container images,
 * activeDeadlineSeconds (down only), tolerations (additions only), scheduling gates (removals
 * only) and terminationGracePeriodSeconds. Anything else is refused at {@code spec}.
 */
final class PodUpdateRules {
  static final String UPDATABLE = "pod updates may not change fields other than "
      + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
      + "`spec.tolerations` (only additions to existing tolerations),"
      + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

  private PodUpdateRules() {}

  static List<FieldError> validate(JsonNode spec, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    for (String list : List.of("containers", "initContainers")) {
      if (spec.path(list).size() != old.path(list).size()) {
        errs.add(FieldError.forbidden("spec." + list, "pod updates may not add or remove containers"));
        return errs;
      }
    }
    JsonNode deadline = spec.get("activeDeadlineSeconds");
    JsonNode oldDeadline = old.get("activeDeadlineSeconds");
    if (Checks.present(deadline)) {
      long v = deadline.asLong();
      if (!deadline.isIntegralNumber() || v < 0 || v > Checks.MAX_INT32) {
        errs.add(FieldError.invalid("spec.activeDeadlineSeconds", Checks.raw(deadline.asText()),
            Checks.rangeError(0, Checks.MAX_INT32)));
        return errs;
      }
      if (Checks.present(oldDeadline) && oldDeadline.asLong() < v) {
        errs.add(FieldError.invalid("spec.activeDeadlineSeconds", v, "must be less than or equal to previous value"));
        return errs;
      }
    } else if (Checks.present(oldDeadline)) {
      errs.add(FieldError.invalid("spec.activeDeadlineSeconds", "null", "must not update from a positive integer to nil value"));
    }
    Tolerations.onlyAdditions(spec.path("tolerations"), old.path("tolerations"), "spec.tolerations", errs);
    onlyRemovedGates(spec.path("schedulingGates"), old.path("schedulingGates"), errs);
    if (Immutable.same(spec, old)) {
      return errs;
    }
    ObjectNode munged = spec.deepCopy();
    for (String list : List.of("containers", "initContainers")) {
      JsonNode cs = munged.path(list);
      for (int i = 0; i < cs.size(); i++) {
        if (cs.get(i) instanceof ObjectNode c) {
          copy(old.path(list).get(i), c, "image");
        }
      }
    }
    for (String f : List.of("activeDeadlineSeconds", "schedulingGates", "tolerations", "terminationGracePeriodSeconds")) {
      copy(old, munged, f);
    }
    if (!Immutable.same(munged, old)) {
      StringBuilder detail = new StringBuilder(UPDATABLE);
      Immutable.diff(old, munged, "spec").forEach(d -> detail.append("\n  ").append(d));
      errs.add(FieldError.forbidden("spec", detail.toString()));
    }
    return errs;
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v == null) {
      to.remove(field);
    } else {
      to.set(field, v.deepCopy());
    }
  }

  private static void onlyRemovedGates(JsonNode now, JsonNode before, List<FieldError> errs) {
    Set<String> old = new HashSet<>();
    before.forEach(g -> old.add(Checks.text(g, "name")));
    for (int i = 0; i < now.size(); i++) {
      String name = Checks.text(now.get(i), "name");
      if (!old.contains(name)) {
        errs.add(FieldError.forbidden("spec.schedulingGates[" + i + "].name",
            "only deletion is allowed, but found new scheduling gate '" + name + "'"));
      }
    }
  }
}
