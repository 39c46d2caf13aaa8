package io.capstan.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;

/** An index of a pod informer by {@code spec.nodeName}, shared by the controllers that need it. */
final class PodsByNode {
  static final String INDEX = "spec.nodeName";

  private PodsByNode() {}

  /** Adds the index to {@code pods} (before it starts) unless it has it already. */
  static synchronized void index(SharedIndexInformer<Pod> pods) {
    if (!pods.getIndexer().getIndexers().containsKey(INDEX)) {
      pods.addIndexers(Map.of(INDEX, p -> p.getSpec() == null || p.getSpec().getNodeName() == null
          || p.getSpec().getNodeName().isEmpty() ? List.of() : List.of(p.getSpec().getNodeName())));
    }
  }

  /** The cached pods bound to {@code node}. */
  static List<Pod> on(SharedIndexInformer<Pod> pods, String node) {
    return pods.getIndexer().byIndex(INDEX, node);
  }
}
