package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pod volumes: unique DNS-label names, exactly one source, the source's own required fields. */
final class Volumes {
  /** The volume source fields of core/v1 Volume, in the order upstream checks them. */
  static final List<String> SOURCES = List.of("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk",
      "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd",
      "cinder", "cephfs", "quobyte", "downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume",
      "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi",
      "ephemeral", "image");
  private static final int DEFAULT_MODE = 0644;
  private static final String FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";

  private Volumes() {}

  /** A volume without a source is an emptyDir; file-projecting sources get mode 0644. */
  static void applyDefaults(JsonNode volumes) {
    for (JsonNode v : volumes) {
      if (!(v instanceof ObjectNode vol)) {
        continue;
      }
      if (SOURCES.stream().noneMatch(s -> Checks.present(vol.get(s)))) {
        vol.putObject("emptyDir");
      }
      for (String s : List.of("secret", "configMap", "downwardAPI", "projected")) {
        if (vol.get(s) instanceof ObjectNode src && !Checks.present(src.get("defaultMode"))) {
          src.put("defaultMode", DEFAULT_MODE);
        }
      }
      if (vol.get("hostPath") instanceof ObjectNode hostPath && !Checks.present(hostPath.get("type"))) {
        hostPath.put("type", "");
      }
      for (JsonNode item : vol.path("downwardAPI").path("items")) {
        if (item.get("fieldRef") instanceof ObjectNode ref) {
          ContainerDefaults.putIfUnset(ref, "apiVersion", "v1");
        }
      }
    }
  }

  /** Validates the volumes at {@code path}; returns the names containers may mount. */
  static Set<String> validate(JsonNode volumes, String path, List<FieldError> errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode v = volumes.get(i);
      String at = path + "[" + i + "]";
      List<FieldError> own = new ArrayList<>();
      source(v, at, own);
      String name = Checks.text(v, "name");
      if (name.isEmpty()) {
        own.add(FieldError.required(at + ".name", ""));
      } else {
        own.addAll(Names.check(at + ".name", name, Names.Format.LABEL));
      }
      if (names.contains(name)) {
        own.add(FieldError.duplicate(at + ".name", name));
      }
      if (own.isEmpty()) {
        names.add(name);
      } else {
        errs.addAll(own);
      }
    }
    return names;
  }

  private static void source(JsonNode v, String path, List<FieldError> errs) {
    int n = 0;
    for (String s : SOURCES) {
      JsonNode src = v.get(s);
      if (!Checks.present(src)) {
        continue;
      }
      if (n > 0) {
        errs.add(FieldError.forbidden(path + "." + s, "may not specify more than 1 volume type"));
        continue;
      }
      n++;
      String at = path + "." + s;
      switch (s) {
        case "hostPath" -> requireText(src, "path", at, errs);
        case "secret" -> {
          requireText(src, "secretName", at, errs);
          mode(src, at, errs);
          items(src, at, errs);
        }
        case "configMap" -> {
          requireText(src, "name", at, errs);
          mode(src, at, errs);
          items(src, at, errs);
        }
        case "persistentVolumeClaim" -> requireText(src, "claimName", at, errs);
        case "nfs" -> {
          requireText(src, "server", at, errs);
          requireText(src, "path", at, errs);
        }
        case "downwardAPI", "projected" -> mode(src, at, errs);
        case "csi" -> requireText(src, "driver", at, errs);
        default -> { }
      }
    }
    if (n == 0) {
      errs.add(FieldError.required(path, "must specify a volume type"));
    }
  }

  private static void requireText(JsonNode src, String field, String path, List<FieldError> errs) {
    if (Checks.text(src, field).isEmpty()) {
      errs.add(FieldError.required(path + "." + field, ""));
    }
  }

  private static void mode(JsonNode src, String path, List<FieldError> errs) {
    JsonNode m = src.get("defaultMode");
    if (Checks.present(m) && (!m.isIntegralNumber() || m.asLong() < 0 || m.asLong() > 0777)) {
      errs.add(FieldError.invalid(path + ".defaultMode", Checks.raw(m.asText()), FILE_MODE));
    }
  }

  private static void items(JsonNode src, String path, List<FieldError> errs) {
    JsonNode items = src.path("items");
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = path + ".items[" + i + "]";
      requireText(item, "key", at, errs);
      String p = Checks.text(item, "path");
      if (p.isEmpty()) {
        errs.add(FieldError.required(at + ".path", ""));
      } else {
        ContainerValidation.localDescendingPath(p, at + ".path", errs);
      }
      JsonNode m = item.get("mode");
      if (Checks.present(m) && (!m.isIntegralNumber() || m.asLong() < 0 || m.asLong() > 0777)) {
        errs.add(FieldError.invalid(at + ".mode", Checks.raw(m.asText()), FILE_MODE));
      }
    }
  }
}
