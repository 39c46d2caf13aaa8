package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One container of a pod spec: name, image, ports, env, volume mounts, pull policy, resources,
 * probes and the restart rules that differ between regular and init containers.
 */
final class ContainerValidation {
  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  private static final String NOT_FOR_INIT = "may not be set for init containers without restartPolicy=Always";

  private ContainerValidation() {}

  /** Validates a regular ({@code init == false}) or init container at {@code path}. */
  static void validate(JsonNode c, String path, Set<String> volumes, boolean init, boolean pod,
      List<FieldError> errs) {
    common(c, path, volumes, pod, errs);
    JsonNode restart = c.get("restartPolicy");
    boolean restartable = false;
    if (Checks.present(restart)) {
      if (!init) {
        errs.add(FieldError.forbidden(path + ".restartPolicy", "may not be set for non-init containers"));
      } else if (!restart.asText().equals("Always")) {
        errs.add(FieldError.notSupported(path + ".restartPolicy", restart.asText(), List.of("Always")));
      } else {
        restartable = true;
      }
    }
    if (!init || restartable) {
      if (Checks.present(c.get("lifecycle"))) {
        ProbeValidation.lifecycle(c.get("lifecycle"), path + ".lifecycle", errs);
      }
      ProbeValidation.probes(c, path, errs);
    } else {
      for (String f : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
        if (Checks.present(c.get(f))) {
          errs.add(FieldError.forbidden(path + "." + f, NOT_FOR_INIT));
        }
      }
    }
  }

  private static void common(JsonNode c, String path, Set<String> volumes, boolean pod, List<FieldError> errs) {
    String name = Checks.text(c, "name");
    if (name.isEmpty()) {
      errs.add(FieldError.required(path + ".name", ""));
    } else {
      errs.addAll(Names.check(path + ".name", name, Names.Format.LABEL));
    }
    String image = Checks.text(c, "image");
    if (image.isEmpty()) {
      errs.add(FieldError.required(path + ".image", ""));
    } else if (pod && !image.equals(image.strip())) {
      errs.add(FieldError.invalid(path + ".image", image, "must not have leading or trailing whitespace"));
    }
    String messagePolicy = Checks.text(c, "terminationMessagePolicy");
    if (messagePolicy.isEmpty()) {
      errs.add(FieldError.required(path + ".terminationMessagePolicy", ""));
    } else if (!MESSAGE_POLICIES.contains(messagePolicy)) {
      errs.add(FieldError.notSupported(path + ".terminationMessagePolicy", messagePolicy, MESSAGE_POLICIES));
    }
    ports(c.path("ports"), path + ".ports", errs);
    EnvValidation.env(c.path("env"), path + ".env", errs);
    EnvValidation.envFrom(c.path("envFrom"), path + ".envFrom", errs);
    volumeMounts(c.path("volumeMounts"), path + ".volumeMounts", volumes, errs);
    String pull = Checks.text(c, "imagePullPolicy");
    if (pull.isEmpty()) {
      errs.add(FieldError.required(path + ".imagePullPolicy", ""));
    } else if (!PULL_POLICIES.contains(pull)) {
      errs.add(FieldError.notSupported(path + ".imagePullPolicy", pull, PULL_POLICIES));
    }
    ResourceValidation.validate(c.get("resources"), path + ".resources", errs);
    securityContext(c.get("securityContext"), path + ".securityContext", errs);
  }

  static void ports(JsonNode ports, String path, List<FieldError> errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode p = ports.get(i);
      String at = path + "[" + i + "]";
      String name = Checks.text(p, "name");
      if (!name.isEmpty()) {
        List<String> msgs = Checks.portNameErrors(name);
        if (!msgs.isEmpty()) {
          msgs.forEach(m -> errs.add(FieldError.invalid(at + ".name", name, m)));
        } else if (!names.add(name)) {
          errs.add(FieldError.duplicate(at + ".name", name));
        }
      }
      JsonNode cp = p.get("containerPort");
      if (!Checks.present(cp) || (cp.isIntegralNumber() && cp.asLong() == 0)) {
        errs.add(FieldError.required(at + ".containerPort", ""));
      } else if (!cp.isIntegralNumber() || !Checks.validPort(cp.asLong())) {
        errs.add(FieldError.invalid(at + ".containerPort", Checks.raw(cp.asText()), Checks.PORT_RANGE));
      }
      JsonNode hp = p.get("hostPort");
      if (Checks.present(hp) && !(hp.isIntegralNumber() && hp.asLong() == 0)
          && (!hp.isIntegralNumber() || !Checks.validPort(hp.asLong()))) {
        errs.add(FieldError.invalid(at + ".hostPort", Checks.raw(hp.asText()), Checks.PORT_RANGE));
      }
      String proto = Checks.text(p, "protocol");
      if (proto.isEmpty()) {
        errs.add(FieldError.required(at + ".protocol", ""));
      } else if (!PROTOCOLS.contains(proto)) {
        errs.add(FieldError.notSupported(at + ".protocol", proto, PROTOCOLS));
      }
    }
  }

  private static void volumeMounts(JsonNode mounts, String path, Set<String> volumes, List<FieldError> errs) {
    Set<String> mountPoints = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode m = mounts.get(i);
      String at = path + "[" + i + "]";
      String name = Checks.text(m, "name");
      if (name.isEmpty()) {
        errs.add(FieldError.required(at + ".name", ""));
      }
      if (volumes != null && !volumes.contains(name)) {
        errs.add(Checks.notFound(at + ".name", name));
      }
      String mountPath = Checks.text(m, "mountPath");
      if (mountPath.isEmpty()) {
        errs.add(FieldError.required(at + ".mountPath", ""));
      }
      if (!mountPoints.add(mountPath) && !mountPath.isEmpty()) {
        errs.add(FieldError.invalid(at + ".mountPath", mountPath, "must be unique"));
      }
      String subPath = Checks.text(m, "subPath");
      if (!subPath.isEmpty()) {
        localDescendingPath(subPath, at + ".subPath", errs);
      }
      if (!Checks.text(m, "subPathExpr").isEmpty()) {
        if (!subPath.isEmpty()) {
          errs.add(FieldError.invalid(at + ".subPathExpr", Checks.text(m, "subPathExpr"),
              "subPathExpr and subPath are mutually exclusive"));
        }
        localDescendingPath(Checks.text(m, "subPathExpr"), at + ".subPathExpr", errs);
      }
    }
  }

  /** A relative path that does not step up: subPath, items[].path. */
  static void localDescendingPath(String p, String path, List<FieldError> errs) {
    if (p.startsWith("/")) {
      errs.add(FieldError.invalid(path, p, "must be a relative path"));
    }
    for (String part : p.split("[/\\\\]")) {
      if (part.equals("..")) {
        errs.add(FieldError.invalid(path, p, "must not contain '..'"));
        break;
      }
    }
  }

  private static void securityContext(JsonNode sc, String path, List<FieldError> errs) {
    if (!Checks.present(sc)) {
      return;
    }
    idRange(sc, "runAsUser", path, errs);
    idRange(sc, "runAsGroup", path, errs);
    if (sc.path("privileged").asBoolean(false) && sc.has("allowPrivilegeEscalation")
        && !sc.path("allowPrivilegeEscalation").asBoolean(true)) {
      errs.add(FieldError.invalid(path, "",
          "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
    }
  }

  /** User and group ids: 0 to 2147483647. */
  static void idRange(JsonNode sc, String field, String path, List<FieldError> errs) {
    JsonNode v = sc.get(field);
    if (Checks.present(v) && (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Checks.MAX_INT32)) {
      errs.add(FieldError.invalid(path + "." + field, Checks.raw(v.asText()), Checks.rangeError(0, Checks.MAX_INT32)));
    }
  }
}
