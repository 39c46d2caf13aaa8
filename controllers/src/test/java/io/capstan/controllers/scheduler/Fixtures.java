package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.UUID;

/** Nodes and pods for the scheduler's tests. */
final class Fixtures {
  private Fixtures() {}

  /** A Ready node with {@code cpu} and {@code memory} allocatable and room for 110 pods. */
  static NodeBuilder node(String name, String cpu, String memory) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus()
        .addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity(memory))
        .addToAllocatable("pods", new Quantity("110"))
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus();
  }

  /** A pod with one container requesting {@code cpu} and {@code memory} (null: no request). */
  static PodBuilder pod(String name, String cpu, String memory) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
        .withUid(UUID.randomUUID().toString()).endMetadata();
    var c = b.withNewSpec().addNewContainer().withName("c").withImage("nginx").withNewResources();
    if (cpu != null) {
      c = c.addToRequests("cpu", new Quantity(cpu));
    }
    if (memory != null) {
      c = c.addToRequests("memory", new Quantity(memory));
    }
    return c.endResources().endContainer().endSpec();
  }

  static NodeInfo info(Node node, Pod... pods) {
    NodeInfo info = NodeInfo.of(node);
    for (Pod p : pods) {
      info.addPod(new PodInfo(p));
    }
    return info;
  }

  static PodInfo info(Pod pod) {
    return new PodInfo(pod);
  }

  static Map<String, String> labels(String... kv) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
