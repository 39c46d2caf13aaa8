package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.info;
import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TaintTolerationFilter, NodeUnschedulableFilter and NodeReadyFilter. */
class TaintFiltersTest {
  static PodInfo tolerating(Toleration... t) {
    return info(pod("p", null, null).editSpec().withTolerations(t).endSpec().build());
  }

  @Test
  void taintsWithSchedulingEffectsNeedAToleration() {
    NodeInfo n = info(node("n", "1", "1Gi").editOrNewSpec()
        .addToTaints(new Taint("NoSchedule", "gpu", null, "true"))
        .addToTaints(new Taint("PreferNoSchedule", "soft", null, "x")).endSpec().build());
    var filter = new TaintTolerationFilter();
    assertEquals(List.of("node(s) had untolerated taint {gpu: true}"), filter.filter(tolerating(), n, null));
    assertEquals(List.of(), filter.filter(tolerating(new Toleration("NoSchedule", "gpu", "Equal", null, "true")), n, null));
    assertEquals(List.of("node(s) had untolerated taint {gpu: true}"),
        filter.filter(tolerating(new Toleration("NoSchedule", "gpu", "Equal", null, "false")), n, null));
    assertEquals(List.of(), filter.filter(tolerating(new Toleration(null, "gpu", "Exists", null, null)), n, null));
    assertEquals(List.of(), filter.filter(tolerating(new Toleration(null, null, "Exists", null, null)), n, null));
    assertEquals(List.of("node(s) had untolerated taint {gpu: true}"),
        filter.filter(tolerating(new Toleration("NoExecute", "gpu", "Exists", null, null)), n, null));
  }

  @Test
  void cordonedNodes() {
    NodeInfo n = info(node("n", "1", "1Gi").editOrNewSpec().withUnschedulable(true).endSpec().build());
    var filter = new NodeUnschedulableFilter();
    assertEquals(List.of("node(s) were unschedulable"), filter.filter(tolerating(), n, null));
    assertEquals(List.of(), filter.filter(tolerating(
        new Toleration("NoSchedule", "node.kubernetes.io/unschedulable", "Exists", null, null)), n, null));
  }

  @Test
  void notReadyNodes() {
    NodeInfo n = info(node("n", "1", "1Gi").editStatus().editFirstCondition().withStatus("False").endCondition().endStatus().build());
    var filter = new NodeReadyFilter();
    assertEquals(List.of("node(s) had untolerated taint {node.kubernetes.io/not-ready: }"), filter.filter(tolerating(), n, null));
    assertEquals(List.of(), filter.filter(info(pod("p", null, null).build()), info(node("n", "1", "1Gi").build()), null));
  }
}
