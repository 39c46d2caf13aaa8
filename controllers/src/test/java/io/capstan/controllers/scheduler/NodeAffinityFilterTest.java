package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.info;
import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeAffinityFilterTest {
  final NodeAffinityFilter filter = new NodeAffinityFilter();
  final NodeInfo node = info(node("n1", "1", "1Gi").editMetadata().addToLabels("disk", "ssd")
      .addToLabels("gen", "5").endMetadata().build());

  List<String> run(NodeSelectorTerm... terms) {
    var p = pod("p", null, null).editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms).endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().endAffinity().endSpec().build();
    return filter.filter(info(p), node, null);
  }

  static NodeSelectorTerm expr(String key, String op, String... values) {
    return new NodeSelectorTermBuilder().addToMatchExpressions(new NodeSelectorRequirement(key, op, List.of(values))).build();
  }

  @Test
  void nodeSelector() {
    assertEquals(List.of(), filter.filter(info(pod("p", null, null).editSpec().addToNodeSelector("disk", "ssd").endSpec().build()), node, null));
    assertEquals(List.of(NodeAffinityFilter.REASON),
        filter.filter(info(pod("p", null, null).editSpec().addToNodeSelector("disk", "hdd").endSpec().build()), node, null));
  }

  @Test
  void operators() {
    assertEquals(List.of(), run(expr("disk", "In", "ssd", "nvme")));
    assertEquals(List.of(NodeAffinityFilter.REASON), run(expr("disk", "NotIn", "ssd")));
    assertEquals(List.of(), run(expr("zone", "DoesNotExist")));
    assertEquals(List.of(NodeAffinityFilter.REASON), run(expr("zone", "Exists")));
    assertEquals(List.of(), run(expr("gen", "Gt", "4")));
    assertEquals(List.of(NodeAffinityFilter.REASON), run(expr("gen", "Lt", "5")));
    // Terms are ORed; an empty term matches nothing.
    assertEquals(List.of(), run(expr("zone", "Exists"), expr("disk", "Exists")));
    assertEquals(List.of(NodeAffinityFilter.REASON), run(new NodeSelectorTerm()));
  }

  @Test
  void matchFieldsOnTheNodeName() {
    NodeSelectorTerm pinned = new NodeSelectorTermBuilder()
        .addToMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of("n1"))).build();
    NodeSelectorTerm other = new NodeSelectorTermBuilder()
        .addToMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of("n2"))).build();
    assertEquals(List.of(), run(pinned));
    assertEquals(List.of(NodeAffinityFilter.REASON), run(other));
  }
}
