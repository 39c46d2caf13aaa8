package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  @Test
  void assumedPodsTakeRoomUntilBoundOrForgotten() {
    SchedulerCache cache = new SchedulerCache();
    cache.putNode(node("n", "2", "2Gi").build());
    Pod p = pod("p", "1", "1Gi").build();
    cache.assume(new PodInfo(p), "n");
    NodeInfo n = cache.nodes().get(0);
    assertTrue(cache.isAssumed(p.getMetadata().getUid()));
    assertEquals(1000, n.requested.milliCpu);
    // The informer still shows it unbound: the assumption stays.
    cache.putPod(p);
    assertEquals(1000, n.requested.milliCpu);
    // The binding arrives: an ordinary pod now, forgetting changes nothing.
    Pod bound = p.edit().editSpec().withNodeName("n").endSpec().build();
    cache.putPod(bound);
    assertFalse(cache.isAssumed(p.getMetadata().getUid()));
    cache.forget(p.getMetadata().getUid());
    assertEquals(1000, n.requested.milliCpu);
    // It ends: no room taken.
    cache.putPod(bound.edit().editOrNewStatus().withPhase("Succeeded").endStatus().build());
    assertEquals(0, n.requested.milliCpu);
    assertEquals(0, n.pods.size());
  }

  @Test
  void forgettingAFailedBindingFreesTheRoom() {
    SchedulerCache cache = new SchedulerCache();
    cache.putNode(node("n", "2", "2Gi").build());
    Pod p = pod("p", "1", "1Gi").build();
    cache.assume(new PodInfo(p), "n");
    cache.forget(p.getMetadata().getUid());
    assertEquals(0, cache.nodes().get(0).requested.milliCpu);
    assertNull(cache.nodeOf(p.getMetadata().getUid()));
  }

  @Test
  void podsOnUnknownNodesAreKeptUntilTheNodeAppears() {
    SchedulerCache cache = new SchedulerCache();
    Pod p = pod("p", "1", "1Gi").editSpec().withNodeName("later").endSpec().build();
    cache.putPod(p);
    assertEquals(0, cache.nodes().size());
    cache.putNode(node("later", "2", "2Gi").build());
    assertEquals(1000, cache.nodes().get(0).requested.milliCpu);
    cache.removePod(p.getMetadata().getUid());
    assertEquals(0, cache.nodes().get(0).requested.milliCpu);
  }
}
