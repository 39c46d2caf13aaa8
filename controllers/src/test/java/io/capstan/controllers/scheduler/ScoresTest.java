package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.info;
import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LeastAllocatedScore, BalancedAllocationScore and OwnerSpreadScore. */
class ScoresTest {
  @Test
  void leastAllocatedPrefersTheEmptierNode() {
    List<NodeInfo> nodes = List.of(info(node("a", "4", "8Gi").build(), pod("x", "2", "4Gi").build()),
        info(node("b", "4", "8Gi").build()));
    long[] s = new long[2];
    new LeastAllocatedScore().score(info(pod("p", "1", "2Gi").build()), nodes, null, s);
    assertArrayEquals(new long[] {25, 75}, s);
  }

  @Test
  void leastAllocatedCountsDefaultsForPodsWithoutRequests() {
    List<NodeInfo> nodes = List.of(info(node("a", "1", "1000Mi").build()));
    long[] s = new long[1];
    new LeastAllocatedScore().score(info(pod("p", null, null).build()), nodes, null, s);
    assertEquals((90 + 80) / 2, s[0]);
  }

  @Test
  void balancedAllocationPrefersEvenUse() {
    List<NodeInfo> nodes = List.of(info(node("a", "4", "8Gi").build(), pod("x", "3", "1Gi").build()),
        info(node("b", "4", "8Gi").build(), pod("y", "1", "2Gi").build()));
    long[] s = new long[2];
    new BalancedAllocationScore().score(info(pod("p", "1", "2Gi").build()), nodes, null, s);
    assertTrue(s[1] > s[0], () -> s[0] + " vs " + s[1]);
    assertEquals(100, s[1]);
  }

  static Pod owned(String name, String owner) {
    return pod(name, null, null).editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
        .withKind("ReplicaSet").withName(owner).withUid(owner).withController(true).build()).endMetadata().build();
  }

  @Test
  void ownerSpreadAcrossNodesAndZones() {
    SchedulerCache cache = new SchedulerCache();
    cache.putNode(node("a1", "1", "1Gi").editMetadata().addToLabels(OwnerSpreadScore.ZONE, "a").endMetadata().build());
    cache.putNode(node("a2", "1", "1Gi").editMetadata().addToLabels(OwnerSpreadScore.ZONE, "a").endMetadata().build());
    cache.putNode(node("b1", "1", "1Gi").editMetadata().addToLabels(OwnerSpreadScore.ZONE, "b").endMetadata().build());
    cache.assume(info(owned("r1", "rs")), "a1");
    cache.assume(info(owned("r2", "other")), "b1");
    List<NodeInfo> nodes = cache.nodes().stream().sorted(java.util.Comparator.comparing(n -> n.name)).toList();
    long[] s = new long[3];
    new OwnerSpreadScore().score(info(owned("p", "rs")), nodes, cache, s);
    // a1: node 0, zone 0; a2: node 100, zone 0; b1: node 100, zone 100.
    assertArrayEquals(new long[] {0, 33, 100}, s);
    new OwnerSpreadScore().score(info(pod("lone", null, null).build()), nodes, cache, s);
    assertArrayEquals(new long[] {100, 100, 100}, s);
  }
}
