package io.capstan.controllers.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
  final DependencyGraph graph = new DependencyGraph();

  static ObjectRef rs(String uid) {
    return new ObjectRef("apps/v1", "ReplicaSet", "ns", "rs-" + uid, uid);
  }

  static ObjectRef pod(String uid, String ns) {
    return new ObjectRef("v1", "Pod", ns, "pod-" + uid, uid);
  }

  static OwnerReference ref(ObjectRef owner, boolean block) {
    return new OwnerReferenceBuilder().withApiVersion(owner.apiVersion()).withKind(owner.kind())
        .withName(owner.name()).withUid(owner.uid()).withBlockOwnerDeletion(block).build();
  }

  static Observed live(ObjectRef id, OwnerReference... owners) {
    return new Observed(id, List.of(owners), false, List.of());
  }

  static Observed deleting(ObjectRef id, String... finalizers) {
    return new Observed(id, List.of(), true, List.of(finalizers));
  }

  @Test
  void anUnseenOwnerBecomesAVirtualNodeToVerify() {
    Set<String> out = graph.upsert(live(pod("p1", "ns"), ref(rs("o1"), true)));
    assertEquals(Set.of("o1"), out);
    assertTrue(graph.view("o1").orElseThrow().virtual());
    assertEquals(List.of(pod("p1", "ns")), graph.dependents("o1"));
    // Seen for real, it stops being virtual and keeps its dependents.
    assertEquals(Set.of(), graph.upsert(live(rs("o1"))));
    assertFalse(graph.view("o1").orElseThrow().virtual());
    assertEquals(1, graph.view("o1").orElseThrow().dependents());
  }

  @Test
  void aVirtualOwnerWithoutDependentsLeavesTheGraph() {
    graph.upsert(live(pod("p1", "ns"), ref(rs("o1"), true)));
    graph.upsert(live(pod("p1", "ns")));
    assertTrue(graph.view("o1").isEmpty());
  }

  @Test
  void removingAnOwnerQueuesItsDependents() {
    graph.upsert(live(rs("o1")));
    graph.upsert(live(pod("p1", "ns"), ref(rs("o1"), true)));
    graph.upsert(live(pod("p2", "ns"), ref(rs("o1"), false)));
    assertEquals(Set.of("p1", "p2"), graph.remove("o1"));
    assertTrue(graph.view("o1").isEmpty());
    assertEquals(Set.of(), graph.remove("o1"), "a second removal is a no-op");
  }

  @Test
  void foregroundDeletionQueuesTheOwnerAndDependentsOnceAndTracksBlockers() {
    graph.upsert(live(rs("o1")));
    graph.upsert(live(pod("p1", "ns"), ref(rs("o1"), true)));
    graph.upsert(live(pod("p2", "ns"), ref(rs("o1"), false)));
    assertEquals(Set.of("o1", "p1", "p2"), graph.upsert(deleting(rs("o1"), Finalizers.FOREGROUND)));
    assertEquals(Set.of(), graph.upsert(deleting(rs("o1"), Finalizers.FOREGROUND)), "no transition, nothing queued");
    assertEquals(Set.of(pod("p1", "ns")), graph.blockingDependents("o1").keySet());
    // A blocking dependent going away, or unblocking, queues the waiting owner.
    assertEquals(Set.of("o1"), graph.upsert(live(pod("p1", "ns"), ref(rs("o1"), false))));
    assertTrue(graph.blockingDependents("o1").isEmpty());
    assertEquals(Set.of("o1"), graph.remove("p2"));
  }

  @Test
  void orphaningOwnersAreQueuedOnEveryChange() {
    graph.upsert(live(rs("o1")));
    assertEquals(Set.of("o1"), graph.upsert(deleting(rs("o1"), Finalizers.ORPHAN)));
    assertTrue(graph.view("o1").orElseThrow().orphaning());
  }

  @Test
  void anOwnerInAnotherNamespaceQueuesTheDependentForItsOwnCheck() {
    graph.upsert(live(rs("o1")));
    assertEquals(Set.of("p1"), graph.upsert(live(pod("p1", "elsewhere"), ref(rs("o1"), true))));
    assertEquals(Set.of(), graph.upsert(live(pod("p2", "ns"), ref(rs("o1"), true))));
  }

  @Test
  void interestingNodesAreThoseWithOwnersDeletionsOrUnverifiedOwners() {
    graph.upsert(live(rs("lonely")));
    graph.upsert(live(pod("p1", "ns"), ref(rs("o1"), true)));
    graph.upsert(deleting(rs("d1"), Finalizers.FOREGROUND));
    assertEquals(Set.of("p1", "o1", "d1"), Set.copyOf(graph.interesting()));
  }

  @Test
  void anyDependentDeletingDependentsSeesTheChildsState() {
    graph.upsert(live(rs("o1")));
    graph.upsert(live(pod("p1", "ns"), ref(rs("o1"), true)));
    assertFalse(graph.anyDependentDeletingDependents("o1"));
    graph.upsert(new Observed(pod("p1", "ns"), List.of(ref(rs("o1"), true)), true, List.of(Finalizers.FOREGROUND)));
    assertTrue(graph.anyDependentDeletingDependents("o1"));
    assertEquals(Boolean.TRUE, graph.blockingDependents("o1").get(pod("p1", "ns")));
  }
}
