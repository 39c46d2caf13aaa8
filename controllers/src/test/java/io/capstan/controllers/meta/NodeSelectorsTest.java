package io.capstan.controllers.meta;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectorsTest {
  final Map<String, String> labels = Map.of("disk", "ssd", "gen", "5");

  static NodeSelectorTerm expr(String key, String op, String... values) {
    return new NodeSelectorTermBuilder().addToMatchExpressions(new NodeSelectorRequirement(key, op, List.of(values))).build();
  }

  static NodeSelectorTerm field(String key, String op, String... values) {
    return new NodeSelectorTermBuilder().addToMatchFields(new NodeSelectorRequirement(key, op, List.of(values))).build();
  }

  static PodSpec required(NodeSelectorTerm... terms) {
    return new PodSpecBuilder().withAffinity(new AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build()).build();
  }

  boolean matches(NodeSelectorTerm... terms) {
    return NodeSelectors.matches(required(terms), "n1", labels);
  }

  @Test
  void noConstraintsMatchEveryNode() {
    assertTrue(NodeSelectors.matches(new PodSpec(), "n1", null));
    assertTrue(NodeSelectors.matches(new PodSpecBuilder().withNewAffinity().endAffinity().build(), "n1", labels));
  }

  @Test
  void everyNodeSelectorEntryMustMatch() {
    assertTrue(NodeSelectors.matches(new PodSpecBuilder().addToNodeSelector("disk", "ssd").build(), "n1", labels));
    assertFalse(NodeSelectors.matches(new PodSpecBuilder().addToNodeSelector("disk", "hdd").build(), "n1", labels));
    assertFalse(NodeSelectors.matches(new PodSpecBuilder().addToNodeSelector("disk", "ssd").addToNodeSelector("zone", "a")
        .build(), "n1", labels));
    PodSpec both = required(expr("gen", "Exists"));
    both.setNodeSelector(Map.of("disk", "hdd"));
    assertFalse(NodeSelectors.matches(both, "n1", labels), "the selector and the affinity must both match");
  }

  @Test
  void matchExpressionOperators() {
    assertTrue(matches(expr("disk", "In", "ssd", "nvme")));
    assertFalse(matches(expr("zone", "In", "a")));
    assertFalse(matches(expr("disk", "NotIn", "ssd")));
    assertTrue(matches(expr("zone", "NotIn", "a")), "NotIn holds without the label");
    assertTrue(matches(expr("disk", "Exists")));
    assertFalse(matches(expr("zone", "Exists")));
    assertTrue(matches(expr("zone", "DoesNotExist")));
    assertFalse(matches(expr("disk", "DoesNotExist")));
    assertTrue(matches(expr("gen", "Gt", "4")));
    assertFalse(matches(expr("gen", "Gt", "5")));
    assertTrue(matches(expr("gen", "Lt", "6")));
    assertFalse(matches(expr("gen", "Lt", "5")));
    assertFalse(matches(expr("disk", "Gt", "4")), "Gt on a non-integer");
    assertFalse(matches(expr("gen", "Gt", "4", "6")), "Gt with two values");
    assertFalse(matches(expr("zone", "Lt", "9")), "Lt without the label");
    assertFalse(matches(expr("disk", "Equals", "ssd")), "an unknown operator");
  }

  @Test
  void termsAreOredAndTheirRequirementsAnded() {
    assertTrue(matches(expr("zone", "Exists"), expr("disk", "Exists")));
    NodeSelectorTerm both = new NodeSelectorTermBuilder()
        .addToMatchExpressions(new NodeSelectorRequirement("disk", "In", List.of("ssd")))
        .addToMatchExpressions(new NodeSelectorRequirement("zone", "Exists", List.of())).build();
    assertFalse(matches(both));
    assertFalse(matches(new NodeSelectorTerm()), "an empty term matches nothing");
    assertTrue(matches(new NodeSelectorTerm(), expr("disk", "Exists")));
    assertFalse(matches(), "no terms match nothing");
  }

  @Test
  void matchFieldsOnTheNodeNameWithInAndNotInOnly() {
    assertTrue(matches(field("metadata.name", "In", "n1")));
    assertFalse(matches(field("metadata.name", "In", "n2")));
    assertTrue(matches(field("metadata.name", "NotIn", "n2")));
    assertFalse(matches(field("metadata.name", "NotIn", "n1")));
    assertFalse(matches(field("metadata.name", "Exists")), "only In and NotIn on fields");
    assertFalse(matches(field("metadata.uid", "NotIn", "x")), "only metadata.name");
    NodeSelectorTerm mixed = new NodeSelectorTermBuilder()
        .addToMatchExpressions(new NodeSelectorRequirement("disk", "In", List.of("ssd")))
        .addToMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of("n1"))).build();
    assertTrue(matches(mixed));
    assertFalse(NodeSelectors.termMatches(mixed, "n2", labels));
  }
}
