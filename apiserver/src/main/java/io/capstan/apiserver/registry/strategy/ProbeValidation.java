package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;

/** Probes and lifecycle hooks: exactly one handler, non-negative timings, per-probe rules. */
final class ProbeValidation {
  private static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
  private static final List<String> HOOK_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "sleep");
  private static final List<String> TIMINGS = List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds",
      "successThreshold", "failureThreshold");

  private ProbeValidation() {}

  /** Validates the container's liveness, readiness and startup probes. */
  static void probes(JsonNode c, String path, List<FieldError> errs) {
    for (String kind : ContainerDefaults.PROBES) {
      JsonNode probe = c.get(kind);
      if (!Checks.present(probe)) {
        continue;
      }
      String at = path + "." + kind;
      handler(probe, at, PROBE_HANDLERS, errs);
      for (String t : TIMINGS) {
        Checks.nonNegative(probe, t, at + "." + t, errs);
      }
      JsonNode grace = probe.get("terminationGracePeriodSeconds");
      if (Checks.present(grace)) {
        if (kind.equals("readinessProbe")) {
          errs.add(FieldError.invalid(at + ".terminationGracePeriodSeconds", grace.asLong(),
              "must not be set for readinessProbes"));
        } else if (grace.asLong() <= 0) {
          errs.add(FieldError.invalid(at + ".terminationGracePeriodSeconds", grace.asLong(), "must be greater than 0"));
        }
      }
      JsonNode success = probe.get("successThreshold");
      if (!kind.equals("readinessProbe") && Checks.isInt(success) && success.asLong() != 1) {
        errs.add(FieldError.invalid(at + ".successThreshold", success.asLong(), "must be 1"));
      }
    }
  }

  /** Validates {@code lifecycle.postStart} and {@code lifecycle.preStop}. */
  static void lifecycle(JsonNode lifecycle, String path, List<FieldError> errs) {
    for (String hook : List.of("postStart", "preStop")) {
      JsonNode h = lifecycle.get(hook);
      if (Checks.present(h)) {
        handler(h, path + "." + hook, HOOK_HANDLERS, errs);
      }
    }
  }

  private static void handler(JsonNode h, String path, List<String> kinds, List<FieldError> errs) {
    int n = 0;
    for (String kind : kinds) {
      JsonNode action = h.get(kind);
      if (!Checks.present(action)) {
        continue;
      }
      String at = path + "." + kind;
      if (n > 0) {
        errs.add(FieldError.forbidden(at, "may not specify more than 1 handler type"));
        continue;
      }
      n++;
      switch (kind) {
        case "exec" -> {
          if (action.path("command").isEmpty()) {
            errs.add(FieldError.required(at + ".command", ""));
          }
        }
        case "httpGet" -> {
          if (Checks.text(action, "path").isEmpty()) {
            errs.add(FieldError.required(at + ".path", ""));
          }
          Checks.portNumOrName(action.get("port"), at + ".port", errs);
          String scheme = Checks.text(action, "scheme");
          if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            errs.add(FieldError.notSupported(at + ".scheme", scheme, List.of("HTTP", "HTTPS")));
          }
        }
        case "tcpSocket" -> Checks.portNumOrName(action.get("port"), at + ".port", errs);
        case "grpc" -> {
          JsonNode port = action.get("port");
          if (!Checks.isInt(port) || !Checks.validPort(port.asLong())) {
            errs.add(FieldError.invalid(at + ".port", Checks.raw(port == null ? 0 : port.asText()),
                Checks.PORT_RANGE));
          }
        }
        default -> Checks.nonNegative(action, "seconds", at + ".seconds", errs);
      }
    }
    if (n == 0) {
      errs.add(FieldError.required(path, "must specify a handler type"));
    }
  }
}
