package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetriesTest {
  @Test
  void backoffDoublesFromOneToTenSeconds() {
    assertEquals(List.of(1L, 2L, 4L, 8L, 10L, 10L),
        List.of(1, 2, 3, 4, 5, 30).stream().map(a -> Retries.backoff(a).toSeconds()).toList());
  }

  @Test
  void aWaitingPodWaitsUnlessItsSpecChanges() {
    Retries retries = new Retries();
    Pod pod = pod("p", "1", null).build();
    assertTrue(retries.wait("default/p", pod).isEmpty(), "never failed: try now");
    assertEquals(Duration.ofSeconds(1), retries.failed("default/p", pod));
    assertTrue(retries.wait("default/p", pod).isPresent(), "its own status update does not retry it");
    Pod withStatus = pod.edit().withNewStatus().withPhase("Pending").endStatus().build();
    assertTrue(retries.wait("default/p", withStatus).isPresent());
    Pod changed = pod.edit().editSpec().addToNodeSelector("disk", "ssd").endSpec().build();
    assertTrue(retries.wait("default/p", changed).isEmpty(), "a spec change retries it at once");
  }

  @Test
  void clusterChangesRetryEachWaitingPodOncePerBurstAfterTheInitialBackoff() {
    Retries retries = new Retries();
    retries.failed("default/p", pod("p", "1", null).build());
    List<Duration> delays = new ArrayList<>();
    retries.clusterChanged((key, delay) -> delays.add(delay));
    retries.clusterChanged((key, delay) -> delays.add(delay));
    assertEquals(1, delays.size());
    assertTrue(delays.get(0).compareTo(Duration.ofSeconds(1)) <= 0 && !delays.get(0).isNegative());
    retries.forget("default/p");
    retries.clusterChanged((key, delay) -> delays.add(delay));
    assertEquals(1, delays.size());
  }
}
