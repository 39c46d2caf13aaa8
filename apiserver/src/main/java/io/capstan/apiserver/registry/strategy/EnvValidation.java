package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** A container's {@code env} and {@code envFrom}: variable names and the sources of values. */
final class EnvValidation {
  private static final String ENV_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
  private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_FMT);
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Set<String> FIELD_PATHS = new TreeSet<>(List.of("metadata.name", "metadata.namespace",
      "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs",
      "status.podIP", "status.podIPs"));
  private static final Set<String> RESOURCE_FIELDS = new TreeSet<>(List.of("limits.cpu", "limits.ephemeral-storage",
      "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"));
  private static final List<String> SOURCES = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef",
      "secretKeyRef");

  private EnvValidation() {}

  static void env(JsonNode vars, String path, List<FieldError> errs) {
    for (int i = 0; i < vars.size(); i++) {
      JsonNode ev = vars.get(i);
      String at = path + "[" + i + "]";
      String name = Checks.text(ev, "name");
      if (name.isEmpty()) {
        errs.add(FieldError.required(at + ".name", ""));
      }
      envVarNameErrors(name).forEach(m -> errs.add(FieldError.invalid(at + ".name", name, m)));
      valueFrom(ev, at + ".valueFrom", errs);
    }
  }

  static void envFrom(JsonNode sources, String path, List<FieldError> errs) {
    for (int i = 0; i < sources.size(); i++) {
      JsonNode src = sources.get(i);
      String at = path + "[" + i + "]";
      String prefix = Checks.text(src, "prefix");
      if (!prefix.isEmpty()) {
        envVarNameErrors(prefix).forEach(m -> errs.add(FieldError.invalid(at + ".prefix", prefix, m)));
      }
      int n = 0;
      for (String kind : List.of("configMapRef", "secretRef")) {
        JsonNode ref = src.get(kind);
        if (Checks.present(ref)) {
          n++;
          String refName = Checks.text(ref, "name");
          Names.check(at + "." + kind + ".name", refName, Names.Format.SUBDOMAIN).forEach(errs::add);
        }
      }
      if (n == 0) {
        errs.add(FieldError.invalid(at, "", "must specify one of: `configMapRef` or `secretRef`"));
      } else if (n > 1) {
        errs.add(FieldError.invalid(at, "", "may not have more than one field specified at a time"));
      }
    }
  }

  /** apimachinery's IsEnvVarName. */
  static List<String> envVarNameErrors(String name) {
    List<String> msgs = new ArrayList<>();
    if (!ENV_NAME.matcher(name).matches()) {
      msgs.add(MetadataValidation.regexError("a valid environment variable name must consist of alphabetic "
          + "characters, digits, '_', '-', or '.', and must not start with a digit", ENV_NAME_FMT, "my.env-name",
          "MY_ENV.NAME", "MyEnvName1"));
    }
    if (name.equals(".")) {
      msgs.add("must not be '.'");
    } else if (name.equals("..")) {
      msgs.add("must not be '..'");
    } else if (name.startsWith("..")) {
      msgs.add("must not start with '..'");
    }
    return msgs;
  }

  private static void valueFrom(JsonNode ev, String path, List<FieldError> errs) {
    JsonNode from = ev.get("valueFrom");
    if (!Checks.present(from)) {
      return;
    }
    int n = 0;
    for (String source : SOURCES) {
      JsonNode ref = from.get(source);
      if (!Checks.present(ref)) {
        continue;
      }
      n++;
      String at = path + "." + source;
      switch (source) {
        case "fieldRef" -> fieldRef(ref, at, errs);
        case "resourceFieldRef" -> {
          String resource = Checks.text(ref, "resource");
          if (resource.isEmpty()) {
            errs.add(FieldError.required(at + ".resource", ""));
          } else if (!RESOURCE_FIELDS.contains(resource) && !resource.startsWith("limits.hugepages-")
              && !resource.startsWith("requests.hugepages-")) {
            errs.add(FieldError.notSupported(at + ".resource", resource, List.copyOf(RESOURCE_FIELDS)));
          }
        }
        default -> keySelector(ref, at, errs);
      }
    }
    if (n == 0) {
      errs.add(FieldError.invalid(path, "",
          "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
    } else if (!Checks.text(ev, "value").isEmpty()) {
      errs.add(FieldError.invalid(path, "", "may not be specified when `value` is not empty"));
    } else if (n > 1) {
      errs.add(FieldError.invalid(path, "", "may not have more than one field specified at a time"));
    }
  }

  private static void fieldRef(JsonNode ref, String path, List<FieldError> errs) {
    String apiVersion = Checks.text(ref, "apiVersion");
    String fieldPath = Checks.text(ref, "fieldPath");
    if (apiVersion.isEmpty()) {
      errs.add(FieldError.required(path + ".apiVersion", ""));
      return;
    }
    if (fieldPath.isEmpty()) {
      errs.add(FieldError.required(path + ".fieldPath", ""));
      return;
    }
    boolean subscript = (fieldPath.startsWith("metadata.labels['") || fieldPath.startsWith("metadata.annotations['"))
        && fieldPath.endsWith("']");
    if (!subscript && !FIELD_PATHS.contains(fieldPath)) {
      List<String> valid = new ArrayList<>(FIELD_PATHS);
      errs.add(FieldError.notSupported(path + ".fieldPath", fieldPath, valid));
    }
  }

  private static void keySelector(JsonNode ref, String path, List<FieldError> errs) {
    errs.addAll(Names.check(path + ".name", Checks.text(ref, "name"), Names.Format.SUBDOMAIN));
    String key = Checks.text(ref, "key");
    if (key.isEmpty()) {
      errs.add(FieldError.required(path + ".key", ""));
    } else if (key.length() > 253 || !CONFIG_KEY.matcher(key).matches()) {
      errs.add(FieldError.invalid(path + ".key", key, MetadataValidation.regexError("a valid config key must "
          + "consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY.pattern(), "key.name", "KEY_NAME",
          "key-name")));
    }
  }
}
