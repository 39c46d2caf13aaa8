package io.capstan.controllers.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowStartTest {

  @Test
  void runsEveryWriteAndHandsEachResultBack() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> done = new ArrayList<>();
    try (SlowStart slow = new SlowStart("test")) {
      assertEquals(10, slow.run(10, calls::incrementAndGet, done::add));
    }
    assertEquals(10, calls.get());
    assertEquals(10, done.size());
    assertEquals(55, done.stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void aFailureEndsTheRunAfterItsBatch() {
    // Batches of 1, 2, 4, 8: the 5th call fails, in the third batch (calls 4 to 7), so no 8th.
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    try (SlowStart slow = new SlowStart("test")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> slow.run(100, () -> {
        if (calls.incrementAndGet() == 5) {
          throw new IllegalStateException("refused");
        }
        return 1;
      }, x -> done.incrementAndGet()));
      assertEquals("refused", e.getMessage());
    }
    assertEquals(7, calls.get());
    assertEquals(6, done.get());
  }

  @Test
  void aFirstFailureSendsNothingMore() {
    AtomicInteger calls = new AtomicInteger();
    try (SlowStart slow = new SlowStart("test")) {
      assertThrows(IllegalStateException.class, () -> slow.run(500, () -> {
        calls.incrementAndGet();
        throw new IllegalStateException("quota");
      }, x -> { }));
    }
    assertEquals(1, calls.get());
  }
}
