package io.capstan.controllers.gc;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The owner-to-dependents graph, keyed by uid, built from informer events. An owner referenced
 * before any informer has shown it is a <em>virtual</em> node, to be verified by a live read.
 * Every change returns the uids that the garbage collector must look at again:
 *
 * <ul>
 *   <li>a new virtual owner (is it there at all?);
 *   <li>an object that starts a foreground deletion, and its dependents;
 *   <li>an object being deleted with the orphan finalizer;
 *   <li>the dependents of a removed object (their owner is gone);
 *   <li>an owner deleting in the foreground that lost a dependent or a blocking reference;
 *   <li>a dependent whose owner uid belongs to an object in another namespace (invalid; the
 *       dependent's own checks treat that owner as absent).
 * </ul>
 *
 * Thread-safe: every method holds the graph's lock; nothing mutable leaves it.
 */
public final class DependencyGraph {
  private final Map<String, Node> nodes = new HashMap<>();

  /** One object: its identity, references and the objects that refer to it. */
  private static final class Node {
    ObjectRef id;
    List<OwnerReference> owners = List.of();
    final Set<Node> dependents = new LinkedHashSet<>();
    boolean virtual;
    boolean beingDeleted;
    boolean deletingDependents;
    boolean orphaning;

    Node(ObjectRef id) {
      this.id = id;
    }
  }

  /** What the collector needs of a node, copied out of the graph. */
  public record View(ObjectRef id, boolean virtual, boolean beingDeleted, boolean deletingDependents,
      boolean orphaning, boolean hasOwners, int dependents) {}

  /** Adds or updates an observed object; returns the uids to process. */
  public synchronized Set<String> upsert(Observed o) {
    Set<String> out = new LinkedHashSet<>();
    String uid = o.id().uid();
    Node n = nodes.get(uid);
    List<OwnerReference> before;
    if (n == null) {
      n = new Node(o.id());
      nodes.put(uid, n);
      before = List.of();
    } else {
      before = n.owners;
      n.virtual = false;
      n.id = o.id();
    }
    n.owners = o.owners();
    Map<String, OwnerReference> old = byUid(before);
    Map<String, OwnerReference> now = byUid(o.owners());
    for (OwnerReference ref : o.owners()) {
      OwnerReference was = old.get(ref.getUid());
      if (was == null) {
        link(ref, n, out);
      } else if (blocks(was) && !blocks(ref)) {
        enqueueIfDeletingDependents(ref.getUid(), out);
      }
    }
    for (OwnerReference ref : before) {
      if (!now.containsKey(ref.getUid())) {
        unlink(ref.getUid(), n, out);
      }
    }
    boolean wasDeletingDependents = n.deletingDependents;
    n.beingDeleted = o.beingDeleted();
    n.deletingDependents = o.deletingDependents();
    n.orphaning = o.orphaning();
    if (n.orphaning) {
      out.add(uid);
    }
    if (n.deletingDependents && !wasDeletingDependents) {
      out.add(uid);
      n.dependents.forEach(d -> out.add(d.id.uid()));
    }
    return out;
  }

  /** Removes a deleted object (or an owner verified absent); returns the uids to process. */
  public synchronized Set<String> remove(String uid) {
    Set<String> out = new LinkedHashSet<>();
    Node n = nodes.remove(uid);
    if (n == null) {
      return out;
    }
    for (OwnerReference ref : n.owners) {
      unlink(ref.getUid(), n, out);
    }
    n.dependents.forEach(d -> out.add(d.id.uid()));
    return out;
  }

  /** A copy of the node of {@code uid}, if the graph has one. */
  public synchronized Optional<View> view(String uid) {
    Node n = nodes.get(uid);
    return n == null ? Optional.empty() : Optional.of(view(n));
  }

  /** The dependents of {@code uid}, as the informers last showed them. */
  public synchronized List<ObjectRef> dependents(String uid) {
    Node n = nodes.get(uid);
    List<ObjectRef> out = new ArrayList<>();
    if (n != null) {
      n.dependents.forEach(d -> out.add(d.id));
    }
    return out;
  }

  /**
   * The dependents of {@code uid} that hold it with {@code blockOwnerDeletion: true}, with
   * whether each is itself deleting its own dependents.
   */
  public synchronized Map<ObjectRef, Boolean> blockingDependents(String uid) {
    Node n = nodes.get(uid);
    Map<ObjectRef, Boolean> out = new java.util.LinkedHashMap<>();
    if (n != null) {
      for (Node d : n.dependents) {
        if (d.owners.stream().anyMatch(r -> uid.equals(r.getUid()) && blocks(r))) {
          out.put(d.id, d.deletingDependents);
        }
      }
    }
    return out;
  }

  /** Whether any dependent of {@code uid} is itself being deleted in the foreground. */
  public synchronized boolean anyDependentDeletingDependents(String uid) {
    Node n = nodes.get(uid);
    return n != null && n.dependents.stream().anyMatch(d -> d.deletingDependents);
  }

  /** The uids worth a look when the collector (re)starts: objects with owners or deletions. */
  public synchronized List<String> interesting() {
    List<String> out = new ArrayList<>();
    nodes.values().forEach(n -> {
      if (n.virtual || !n.owners.isEmpty() || n.beingDeleted) {
        out.add(n.id.uid());
      }
    });
    return out;
  }

  public synchronized int size() {
    return nodes.size();
  }

  private void link(OwnerReference ref, Node dependent, Set<String> out) {
    String ownerUid = ref.getUid();
    if (ownerUid == null || ownerUid.isEmpty()) {
      return;
    }
    Node owner = nodes.get(ownerUid);
    if (owner == null) {
      owner = new Node(new ObjectRef(ref.getApiVersion(), ref.getKind(), dependent.id.namespace(), ref.getName(), ownerUid));
      owner.virtual = true;
      nodes.put(ownerUid, owner);
      out.add(ownerUid);
    } else if (!owner.virtual && !owner.id.namespace().isEmpty()
        && !Objects.equals(owner.id.namespace(), dependent.id.namespace())) {
      out.add(dependent.id.uid());
    }
    owner.dependents.add(dependent);
    if (owner.deletingDependents) {
      out.add(ownerUid);
    }
  }

  private void unlink(String ownerUid, Node dependent, Set<String> out) {
    Node owner = nodes.get(ownerUid);
    if (owner == null) {
      return;
    }
    owner.dependents.remove(dependent);
    if (owner.virtual && owner.dependents.isEmpty()) {
      nodes.remove(ownerUid);
    } else if (owner.deletingDependents) {
      out.add(ownerUid);
    }
  }

  private void enqueueIfDeletingDependents(String uid, Set<String> out) {
    Node n = nodes.get(uid);
    if (n != null && n.deletingDependents) {
      out.add(uid);
    }
  }

  private static View view(Node n) {
    return new View(n.id, n.virtual, n.beingDeleted, n.deletingDependents, n.orphaning, !n.owners.isEmpty(),
        n.dependents.size());
  }

  private static boolean blocks(OwnerReference ref) {
    return Boolean.TRUE.equals(ref.getBlockOwnerDeletion());
  }

  private static Map<String, OwnerReference> byUid(List<OwnerReference> refs) {
    Map<String, OwnerReference> m = new HashMap<>();
    refs.forEach(r -> m.put(r.getUid(), r));
    return m;
  }
}
