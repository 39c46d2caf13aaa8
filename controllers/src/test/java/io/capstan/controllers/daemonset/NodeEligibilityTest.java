package io.capstan.controllers.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import org.junit.jupiter.api.Test;

class NodeEligibilityTest {
  private static final NodeEligibility.Verdict RUN = new NodeEligibility.Verdict(true, true);
  private static final NodeEligibility.Verdict STAY = new NodeEligibility.Verdict(false, true);
  private static final NodeEligibility.Verdict NEVER = new NodeEligibility.Verdict(false, false);

  private static Node node(String name, String zone, Taint... taints) {
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("zone", zone).addToLabels("cpus", "8")
        .endMetadata().withNewSpec().withTaints(taints).endSpec().build();
  }

  private static DaemonSet ds(PodSpec spec) {
    return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("ns").withUid("u")
        .withGeneration(4L).endMetadata().withNewSpec().withNewTemplate().withNewMetadata()
        .addToLabels("app", "agent").endMetadata().withSpec(spec).endTemplate().endSpec().build();
  }

  private static NodeEligibility.Verdict of(Node node, PodSpec spec) {
    return NodeEligibility.of(node, DaemonPods.specWithTolerations(ds(spec)));
  }

  @Test
  void nodeSelectorAndRequiredAffinityMustMatch() {
    PodSpec bySelector = new PodSpecBuilder().addToNodeSelector("zone", "a").build();
    assertEquals(RUN, of(node("n", "a"), bySelector));
    assertEquals(NEVER, of(node("n", "b"), bySelector));
    PodSpec byAffinity = new PodSpecBuilder().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("x")
        .endMatchExpression().endNodeSelectorTerm()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("cpus").withOperator("Gt").withValues("4")
        .endMatchExpression().endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().build();
    assertEquals(RUN, of(node("n", "b"), byAffinity), "the second term matches");
    PodSpec byName = new PodSpecBuilder().withNodeName("other").build();
    assertEquals(NEVER, of(node("n", "a"), byName));
  }

  @Test
  void taintsDecideWhetherAPodStartsOrStays() {
    PodSpec plain = new PodSpec();
    assertEquals(STAY, of(node("n", "a", new TaintBuilder().withKey("k").withEffect("NoSchedule").build()), plain));
    assertEquals(NEVER, of(node("n", "a", new TaintBuilder().withKey("k").withEffect("NoExecute").build()), plain));
    assertEquals(RUN, of(node("n", "a", new TaintBuilder().withKey("k").withEffect("PreferNoSchedule").build()), plain));
    assertEquals(RUN, of(node("n", "a",
        new TaintBuilder().withKey("node.kubernetes.io/not-ready").withEffect("NoExecute").build(),
        new TaintBuilder().withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build()), plain),
        "the daemon tolerations");
    PodSpec tolerates = new PodSpecBuilder().addNewToleration().withKey("k").withOperator("Equal").withValue("v")
        .endToleration().build();
    assertEquals(RUN, of(node("n", "a", new TaintBuilder().withKey("k").withValue("v").withEffect("NoExecute").build()),
        tolerates));
    assertEquals(NEVER, of(node("n", "a", new TaintBuilder().withKey("k").withValue("w").withEffect("NoExecute")
        .build()), tolerates));
  }

  @Test
  void aDaemonPodIsPinnedToItsNodeByAffinity() {
    PodSpec spec = new PodSpecBuilder().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey("zone").withOperator("Exists").endMatchExpression().endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
        .addNewContainer().withName("c").withImage("i").endContainer().build();
    var pod = DaemonPods.newPod(ds(spec), "h1", "node-7");
    assertEquals("node-7", DaemonPods.targetNode(pod));
    var terms = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    assertEquals(1, terms.size(), "the template's required terms are replaced");
    assertEquals("agent-", pod.getMetadata().getGenerateName());
    assertEquals("h1", pod.getMetadata().getLabels().get("controller-revision-hash"));
    assertEquals("4", pod.getMetadata().getLabels().get("pod-template-generation"));
    assertNull(DaemonPods.targetNode(new io.fabric8.kubernetes.api.model.PodBuilder().withNewSpec().endSpec().build()));
  }
}
