package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.registry.DeleteOptions;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.WriteOptions;
import io.capstan.apiserver.registry.WriteOptions.FieldValidation;
import io.vertx.core.MultiMap;
import java.util.Locale;

/** Reads meta/v1 options from the query string (booleans parsed as Go's ParseBool does). */
final class QueryParams {
  private QueryParams() {}

  static boolean bool(MultiMap q, String name) {
    String v = q.get(name);
    if (v == null) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False", "" -> false;
      default -> throw StatusErrors.badRequest("invalid boolean value for " + name + ": \"" + v + "\"");
    };
  }

  static Long longParam(MultiMap q, String name) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw StatusErrors.badRequest("invalid value for " + name + ": \"" + v + "\"");
    }
  }

  static ListOptions list(MultiMap q) {
    Long limit = longParam(q, "limit");
    String sendInitial = q.get("sendInitialEvents");
    return new ListOptions(q.get("labelSelector"), q.get("fieldSelector"), limit == null ? 0 : Math.max(0, limit),
        q.get("continue"), q.get("resourceVersion"), emptyToNull(q.get("resourceVersionMatch")),
        bool(q, "allowWatchBookmarks"), longParam(q, "timeoutSeconds"),
        sendInitial == null ? null : bool(q, "sendInitialEvents"));
  }

  static WriteOptions write(MultiMap q, String userAgent) {
    String fv = q.get("fieldValidation");
    FieldValidation validation;
    if (fv == null || fv.isEmpty()) {
      validation = FieldValidation.WARN;
    } else {
      validation = switch (fv.toLowerCase(Locale.ROOT)) {
        case "strict" -> FieldValidation.STRICT;
        case "warn" -> FieldValidation.WARN;
        case "ignore" -> FieldValidation.IGNORE;
        default -> throw StatusErrors.badRequest("fieldValidation must be one of Ignore, Warn or Strict, got \"" + fv + "\"");
      };
    }
    String manager = q.get("fieldManager");
    if (manager == null || manager.isEmpty()) {
      manager = userAgent == null ? "unknown" : userAgent.split("/")[0];
    }
    return new WriteOptions(dryRun(q), manager, validation);
  }

  static boolean dryRun(MultiMap q) {
    for (String v : q.getAll("dryRun")) {
      if (!v.equals("All")) {
        throw StatusErrors.invalid("meta.k8s.io", "CreateOptions", "", java.util.List.of(
            io.capstan.apiserver.errors.FieldError.notSupported("dryRun", v, java.util.List.of("All"))));
      }
    }
    return !q.getAll("dryRun").isEmpty();
  }

  /** DeleteOptions from the body (kubectl, Fabric8) merged with the query (Python, curl). */
  static DeleteOptions delete(MultiMap q, JsonNode body) {
    Long grace = longParam(q, "gracePeriodSeconds");
    String policy = emptyToNull(q.get("propagationPolicy"));
    Boolean orphan = q.get("orphanDependents") == null ? null : bool(q, "orphanDependents");
    boolean dryRun = dryRun(q);
    String uid = null;
    String rv = null;
    if (body != null && body.isObject()) {
      if (body.hasNonNull("gracePeriodSeconds")) {
        grace = body.get("gracePeriodSeconds").asLong();
      }
      if (body.hasNonNull("propagationPolicy")) {
        policy = emptyToNull(body.get("propagationPolicy").asText());
      }
      if (body.hasNonNull("orphanDependents")) {
        orphan = body.get("orphanDependents").asBoolean();
      }
      for (JsonNode d : body.path("dryRun")) {
        dryRun |= d.asText().equals("All");
      }
      JsonNode pre = body.path("preconditions");
      uid = pre.hasNonNull("uid") ? pre.get("uid").asText() : null;
      rv = pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null;
    }
    if (policy != null && !policy.isEmpty() && !java.util.List.of("Background", "Foreground", "Orphan").contains(policy)) {
      throw StatusErrors.invalid("meta.k8s.io", "DeleteOptions", "", java.util.List.of(
          io.capstan.apiserver.errors.FieldError.notSupported("propagationPolicy", policy,
              java.util.List.of("Foreground", "Background", "Orphan", "nil"))));
    }
    if (policy != null && orphan != null) {
      throw StatusErrors.invalid("meta.k8s.io", "DeleteOptions", "", java.util.List.of(
          io.capstan.apiserver.errors.FieldError.invalid("propagationPolicy", policy,
              "orphanDependents and deletionPropagation cannot be both set")));
    }
    return new DeleteOptions(grace, uid, rv, policy, dryRun, orphan);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
