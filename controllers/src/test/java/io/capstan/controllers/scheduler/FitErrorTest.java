package io.capstan.controllers.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FitErrorTest {
  @Test
  void countsReasonsSortedAndThePreemptionPart() {
    FitError e = new FitError(3);
    e.reject(List.of(NodeAffinityFilter.REASON), false);
    e.reject(List.of("Insufficient cpu"), true);
    e.reject(List.of(NodeAffinityFilter.REASON), false);
    assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector."
        + " preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod,"
        + " 2 Preemption is not helpful for scheduling.", e.message());
  }

  @Test
  void noNodes() {
    assertEquals("no nodes available to schedule pods", new FitError(0).message());
  }
}
