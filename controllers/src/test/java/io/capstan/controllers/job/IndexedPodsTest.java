package io.capstan.controllers.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IndexedPodsTest {
  static Pod pod(String name, String index) {
    return new PodBuilder().withNewMetadata().withName(name).addToAnnotations(IndexedPods.INDEX, index).endMetadata()
        .build();
  }

  @Test
  void completedIndexesAreIntervals() {
    assertEquals("0-2,5,7-8", IndexedPods.format(new TreeSet<>(List.of(8, 0, 1, 2, 5, 7))));
    assertEquals("", IndexedPods.format(new TreeSet<>()));
    assertEquals(new TreeSet<>(List.of(0, 1, 2, 5, 7)), IndexedPods.parse("0-2,5,7-8", 8));
    assertEquals(new TreeSet<>(), IndexedPods.parse(null, 3));
  }

  @Test
  void pendingIndexesSkipCompletedAndRunningOnes() {
    List<Pod> active = List.of(pod("a", "1"), pod("b", "3"));
    assertEquals(List.of(2, 4), IndexedPods.pending(Set.of(0), active, 6, 2));
    assertEquals(List.of(2, 4, 5), IndexedPods.pending(Set.of(0), active, 6, 10));
  }

  @Test
  void duplicateCompletedAndInvalidIndexesAreMisplaced() {
    List<Pod> active = List.of(pod("a", "1"), pod("b", "1"), pod("c", "0"), pod("d", "9"), pod("e", "x"));
    List<String> names = IndexedPods.misplaced(active, Set.of(0), 3).stream().map(p -> p.getMetadata().getName())
        .sorted().toList();
    assertEquals(4, names.size(), names.toString());
    assertEquals(List.of("c", "d", "e"), names.subList(names.size() - 3, names.size()));
  }
}
