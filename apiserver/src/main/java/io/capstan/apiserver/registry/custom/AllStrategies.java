package io.capstan.apiserver.registry.custom;

import io.capstan.apiserver.registry.strategy.Strategies;
import io.capstan.apiserver.registry.strategy.Strategy;
import io.capstan.apiserver.resources.ResourceType;

/** The strategy of any served type: built-in kinds, CRDs themselves, and custom resources. */
public final class AllStrategies {
  private AllStrategies() {}

  public static Strategy of(ResourceType type) {
    if (type.isCustom()) {
      return new CustomResourceStrategy(type);
    }
    if (type.group().equals("apiextensions.k8s.io") && type.kind().equals("CustomResourceDefinition")) {
      return new CrdStrategy();
    }
    return Strategies.of(type);
  }
}
