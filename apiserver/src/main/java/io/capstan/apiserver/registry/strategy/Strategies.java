package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import io.capstan.apiserver.resources.ResourceType;

/** Picks the strategy of each built-in resource. */
public final class Strategies {
  private Strategies() {}

  public static Strategy of(ResourceType type) {
    return switch (type.kind()) {
      case "Namespace" -> new NamespaceStrategy();
      case "Pod" -> new PodStrategy();
      case "Service" -> new ServiceStrategy();
      case "Secret" -> new SecretStrategy(true);
      case "ConfigMap" -> new SecretStrategy(false);
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" -> new WorkloadStrategy(type.kind());
      case "Job" -> new JobStrategy();
      case "CronJob" -> new CronJobStrategy();
      case "Node" -> new NodeStrategy();
      default -> new GenericStrategy(Names.Format.SUBDOMAIN, type.hasSubresource("status"));
    };
  }
}
