package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Defaults of apps/v1 Deployments, ReplicaSets, StatefulSets and DaemonSets (SetDefaults_*). */
final class AppsDefaults {
  private AppsDefaults() {}

  static void apply(String kind, ObjectNode obj) {
    ObjectNode spec = Checks.object(obj, "spec");
    switch (kind) {
      case "Deployment" -> deployment(spec);
      case "ReplicaSet" -> intIfUnset(spec, "replicas", 1);
      case "StatefulSet" -> statefulSet(spec);
      case "DaemonSet" -> daemonSet(spec);
      default -> { }
    }
    Templates.applyDefaults(spec);
  }

  private static void deployment(ObjectNode spec) {
    intIfUnset(spec, "replicas", 1);
    ObjectNode strategy = Checks.object(spec, "strategy");
    ContainerDefaults.putIfUnset(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode ru = Checks.object(strategy, "rollingUpdate");
      if (!Checks.present(ru.get("maxUnavailable"))) {
        ru.put("maxUnavailable", "25%");
      }
      if (!Checks.present(ru.get("maxSurge"))) {
        ru.put("maxSurge", "25%");
      }
    }
    intIfUnset(spec, "revisionHistoryLimit", 10);
    intIfUnset(spec, "progressDeadlineSeconds", 600);
  }

  private static void statefulSet(ObjectNode spec) {
    ContainerDefaults.putIfUnset(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = Checks.object(spec, "updateStrategy");
    if (Checks.text(strategy, "type").isEmpty()) {
      strategy.put("type", "RollingUpdate");
      if (!Checks.present(strategy.get("rollingUpdate"))) {
        strategy.putObject("rollingUpdate");
      }
    }
    if (strategy.path("type").asText().equals("RollingUpdate") && strategy.get("rollingUpdate") instanceof ObjectNode ru) {
      intIfUnset(ru, "partition", 0);
    }
    ObjectNode retention = Checks.object(spec, "persistentVolumeClaimRetentionPolicy");
    ContainerDefaults.putIfUnset(retention, "whenDeleted", "Retain");
    ContainerDefaults.putIfUnset(retention, "whenScaled", "Retain");
    intIfUnset(spec, "replicas", 1);
    intIfUnset(spec, "revisionHistoryLimit", 10);
    for (JsonNode t : spec.path("volumeClaimTemplates")) {
      if (t instanceof ObjectNode claim) {
        ContainerDefaults.putIfUnset(claim, "apiVersion", "v1");
        ContainerDefaults.putIfUnset(claim, "kind", "PersistentVolumeClaim");
        ContainerDefaults.putIfUnset(Checks.object(claim, "spec"), "volumeMode", "Filesystem");
        ContainerDefaults.putIfUnset(Checks.object(claim, "status"), "phase", "Pending");
      }
    }
  }

  private static void daemonSet(ObjectNode spec) {
    ObjectNode strategy = Checks.object(spec, "updateStrategy");
    ContainerDefaults.putIfUnset(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode ru = Checks.object(strategy, "rollingUpdate");
      intIfUnset(ru, "maxUnavailable", 1);
      intIfUnset(ru, "maxSurge", 0);
    }
    intIfUnset(spec, "revisionHistoryLimit", 10);
  }

  static void intIfUnset(ObjectNode o, String field, int value) {
    if (!Checks.present(o.get(field))) {
      o.put(field, value);
    }
  }
}
