package io.capstan.controllers.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonSetRolloutTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static DaemonSet ds(IntOrString maxUnavailable, IntOrString maxSurge) {
    return new DaemonSetBuilder().withNewMetadata().withNamespace("ns").withName("agent").withUid("u")
        .endMetadata().withNewSpec().withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxUnavailable(maxUnavailable).withMaxSurge(maxSurge).endRollingUpdate().endUpdateStrategy()
        .withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private static List<Node> nodes(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new NodeBuilder().withNewMetadata().withName("n" + i).endMetadata().build()).toList();
  }

  private static Pod pod(String name, String hash, boolean ready) {
    return new PodBuilder().withNewMetadata().withName(name).addToLabels("controller-revision-hash", hash)
        .withCreationTimestamp("2025-01-01T00:00:00Z").endMetadata()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .withLastTransitionTime("2025-01-01T00:00:00Z").endCondition().endStatus().build();
  }

  private static Map<String, List<Pod>> oldPods(int n) {
    Map<String, List<Pod>> byNode = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byNode.put("n" + i, List.of(pod("old-" + i, "old", true)));
    }
    return byNode;
  }

  @Test
  void maxUnavailableBoundsTheOldPodsDeletedAtOnce() {
    DaemonSet ds = ds(new IntOrString("50%"), null);
    DaemonSetPlan.Actions a = DaemonSetRollout.step(ds, nodes(5), oldPods(5), "new", NOW);
    assertEquals(3, a.delete().size(), "50% of 5 rounds up to 3");
    assertEquals(List.of(), a.create());
    Map<String, List<Pod>> byNode = oldPods(5);
    byNode.put("n0", List.of(pod("new-0", "new", false)));
    byNode.put("n1", List.of(pod("old-1", "old", false)));
    a = DaemonSetRollout.step(ds(new IntOrString(2), null), nodes(5), byNode, "new", NOW);
    assertEquals(List.of("old-1", "old-2"), a.delete().stream().map(p -> p.getMetadata().getName()).toList(),
        "an unavailable old pod goes at once; one more fits beside the unready new pod");
  }

  @Test
  void maxSurgeStartsNewPodsBesideTheOldOnesAndThenRemovesTheOld() {
    DaemonSet ds = ds(new IntOrString(0), new IntOrString(1));
    DaemonSetPlan.Actions a = DaemonSetRollout.step(ds, nodes(3), oldPods(3), "new", NOW);
    assertEquals(List.of("n0"), a.create());
    assertEquals(List.of(), a.delete());
    Map<String, List<Pod>> byNode = oldPods(3);
    byNode.put("n0", List.of(pod("old-0", "old", true), pod("new-0", "new", true)));
    a = DaemonSetRollout.step(ds, nodes(3), byNode, "new", NOW);
    assertEquals(List.of("old-0"), a.delete().stream().map(p -> p.getMetadata().getName()).toList());
    assertEquals(List.of("n1"), a.create());
  }

  @Test
  void managingKeepsAnOldAndANewPodOnlyWhileSurging() {
    Map<String, List<Pod>> byNode = new LinkedHashMap<>();
    byNode.put("n0", List.of(pod("old-0", "old", true), pod("new-0", "new", false)));
    DaemonSetPlan.Actions surging = DaemonSetPlan.manage(ds(new IntOrString(0), new IntOrString(1)), nodes(1),
        byNode, "new", NOW);
    assertEquals(List.of(), surging.delete());
    DaemonSetPlan.Actions plain = DaemonSetPlan.manage(ds(new IntOrString(1), null), nodes(1), byNode, "new", NOW);
    assertEquals(1, plain.delete().size(), "without surge one pod per node");
  }
}
