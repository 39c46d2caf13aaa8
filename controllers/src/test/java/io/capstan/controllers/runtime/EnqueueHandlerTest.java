package io.capstan.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping of informer notifications to keys. */
class EnqueueHandlerTest {
  private final List<Request> queued = new ArrayList<>();
  private final EnqueueHandler<String> handler =
      new EnqueueHandler<>("test", s -> List.of(new Request("ns", s)), queued::add);

  @Test
  void anUpdateMapsBothTheOldAndTheNewObject() {
    // A pod relabelled from one Service's selector to another's must reach both Services.
    handler.onUpdate("old", "new");
    assertEquals(List.of(new Request("ns", "old"), new Request("ns", "new")), queued);
  }

  @Test
  void addAndDeleteMapTheirObject() {
    handler.onAdd("a");
    handler.onDelete("d", true);
    assertEquals(List.of(new Request("ns", "a"), new Request("ns", "d")), queued);
  }

  @Test
  void aFailingMapperIsContained() {
    EnqueueHandler<String> broken = new EnqueueHandler<>("test", s -> {
      throw new IllegalStateException("boom");
    }, queued::add);
    broken.onAdd("x");
    assertEquals(List.of(), queued);
  }
}
