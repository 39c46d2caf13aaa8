package io.capstan.controllers.runtime;

import io.capstan.controllers.meta.LabelSelectors;
import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.function.Function;

/**
 * The keys to enqueue when an object without a controller changes: every would-be owner in its
 * namespace whose selector matches its labels, so that the owner's next pass adopts it (as
 * upstream's controllers look up the ReplicaSets, StatefulSets, ... selecting an orphan pod).
 */
public final class Adopters {
  private Adopters() {}

  /**
   * The owners in {@code owners}' cache that could adopt {@code dependent}; none when it already
   * has a controller.
   */
  public static <O extends HasMetadata> List<Request> of(SharedIndexInformer<O> owners,
      Function<O, LabelSelector> selector, HasMetadata dependent) {
    if (OwnerReferences.controllerOf(dependent).isPresent()) {
      return List.of();
    }
    return owners.getIndexer().byIndex(Cache.NAMESPACE_INDEX, dependent.getMetadata().getNamespace()).stream()
        .filter(o -> LabelSelectors.matches(selector.apply(o), dependent.getMetadata().getLabels()))
        .map(Request::of).toList();
  }
}
