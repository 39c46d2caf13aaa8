package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Defaults of a pod spec, for pods and for the pod templates of workloads (SetDefaults_PodSpec),
 * plus the ones core/v1 applies to Pods only (SetDefaults_Pod, service account admission).
 */
final class PodSpecDefaults {
  static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers");

  private PodSpecDefaults() {}

  /** Defaults shared by pods and pod templates. */
  static void apply(ObjectNode spec) {
    ContainerDefaults.putIfUnset(spec, "dnsPolicy", "ClusterFirst");
    ContainerDefaults.putIfUnset(spec, "restartPolicy", "Always");
    if (!Checks.present(spec.get("terminationGracePeriodSeconds"))) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    ContainerDefaults.putIfUnset(spec, "schedulerName", "default-scheduler");
    if (!Checks.present(spec.get("securityContext"))) {
      spec.putObject("securityContext");
    }
    Volumes.applyDefaults(spec.path("volumes"));
    for (String list : CONTAINER_LISTS) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          ContainerDefaults.apply(container);
        }
      }
    }
    syncServiceAccount(spec);
  }

  /** Defaults of a Pod's own spec, applied after {@link #apply}. */
  static void applyPodOnly(ObjectNode spec) {
    if (!Checks.present(spec.get("enableServiceLinks"))) {
      spec.put("enableServiceLinks", true);
    }
    boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
    for (String list : CONTAINER_LISTS) {
      for (JsonNode c : spec.path(list)) {
        if (!(c instanceof ObjectNode container)) {
          continue;
        }
        ContainerDefaults.requestsFromLimits(container);
        if (hostNetwork) {
          for (JsonNode p : container.path("ports")) {
            JsonNode hp = p.get("hostPort");
            if (p instanceof ObjectNode port && (!Checks.present(hp) || hp.asLong() == 0)
                && Checks.isInt(port.get("containerPort"))) {
              port.set("hostPort", port.get("containerPort"));
            }
          }
        }
      }
    }
    if (Checks.text(spec, "serviceAccountName").isEmpty() && Checks.text(spec, "serviceAccount").isEmpty()) {
      spec.put("serviceAccountName", "default");
    }
    syncServiceAccount(spec);
  }

  /**
   * The deprecated {@code serviceAccount} mirrors {@code serviceAccountName}; it is read only when
   * the name is unset, as the core/v1 conversion does.
   */
  private static void syncServiceAccount(ObjectNode spec) {
    String name = Checks.text(spec, "serviceAccountName");
    String deprecated = Checks.text(spec, "serviceAccount");
    if (name.isEmpty() && !deprecated.isEmpty()) {
      spec.put("serviceAccountName", deprecated);
    } else if (!name.isEmpty() && !name.equals(deprecated)) {
      spec.put("serviceAccount", name);
    }
  }
}
