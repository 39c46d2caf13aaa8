package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The scheduler's picture of the cluster, as kube-scheduler's cache: every node with the pods
 * bound to it (from the informers) plus the pods this scheduler has <em>assumed</em> onto a node
 * whose binding the informer has not shown yet, so two pods are never placed into the same room.
 * An assumed pod becomes an ordinary one when its binding arrives, and is forgotten when the
 * binding fails. Pods that have ended (Succeeded, Failed) take no room.
 *
 * <p>Thread-safety: every method is synchronized on this cache; the scheduling loop holds the lock
 * for one pod's whole filter-score-assume pass, so it sees one consistent snapshot.
 */
final class SchedulerCache {
  private final Map<String, NodeInfo> byName = new HashMap<>();
  private List<NodeInfo> nodes = List.of();
  /** The node name of every pod placed (bound or assumed), by uid. */
  private final Map<String, String> placed = new HashMap<>();
  private final Set<String> assumed = new HashSet<>();
  private final Map<String, PodInfo> antiAffinity = new LinkedHashMap<>();
  private final Runnable onChange;
  private long nodeAdds;
  private long podAdds;

  /** A cache that runs {@code onChange} (outside its lock) when a change may let waiting pods fit. */
  SchedulerCache(Runnable onChange) {
    this.onChange = Objects.requireNonNull(onChange);
  }

  SchedulerCache() {
    this(() -> { });
  }

  /** The nodes that exist (have a Node object), in no particular order. */
  synchronized List<NodeInfo> nodes() {
    return nodes;
  }

  /** The node a pod is placed on (bound or assumed), or null. */
  synchronized NodeInfo nodeOf(String podUid) {
    String name = placed.get(podUid);
    return name == null ? null : byName.get(name);
  }

  /** The placed pods that have required pod anti-affinity terms. */
  synchronized Collection<PodInfo> podsWithAntiAffinity() {
    return antiAffinity.values();
  }

  /**
   * Whether the informers' handlers have delivered at least as many adds as their stores hold:
   * until then the cache may lack pods already bound, and scheduling could double-book.
   */
  synchronized boolean caughtUp(int nodesInStore, int podsInStore) {
    return nodeAdds >= nodesInStore && podAdds >= podsInStore;
  }

  synchronized boolean isAssumed(String podUid) {
    return assumed.contains(podUid);
  }

  synchronized int assumedCount() {
    return assumed.size();
  }

  synchronized void putNode(Node node) {
    NodeInfo info = byName.computeIfAbsent(node.getMetadata().getName(), NodeInfo::new);
    boolean added = info.node() == null;
    info.setNode(node);
    if (added) {
      rebuildNodeList();
    }
  }

  synchronized void removeNode(String name) {
    NodeInfo info = byName.get(name);
    if (info == null) {
      return;
    }
    info.setNode(null);
    if (info.pods.isEmpty()) {
      byName.remove(name);
    }
    rebuildNodeList();
  }

  /** Records a pod as the informer shows it: placed when bound and not ended, else not placed. */
  synchronized void putPod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      return; // unbound: keep an assumption until the binding shows up
    }
    unplace(uid);
    assumed.remove(uid);
    if (!ended(pod)) {
      place(new PodInfo(pod), nodeName);
    }
  }

  synchronized void removePod(String uid) {
    unplace(uid);
    assumed.remove(uid);
  }

  /** Places {@code pod} on {@code nodeName} before its binding is seen. */
  synchronized void assume(PodInfo pod, String nodeName) {
    unplace(pod.uid);
    place(pod, nodeName);
    assumed.add(pod.uid);
  }

  /** Undoes {@link #assume} when the binding failed; no-op if the informer showed it bound since. */
  synchronized void forget(String podUid) {
    if (assumed.remove(podUid)) {
      unplace(podUid);
    }
  }

  static boolean ended(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private void place(PodInfo pod, String nodeName) {
    byName.computeIfAbsent(nodeName, NodeInfo::new).addPod(pod);
    placed.put(pod.uid, nodeName);
    if (!pod.antiAffinity.isEmpty()) {
      antiAffinity.put(pod.uid, pod);
    }
  }

  private void unplace(String uid) {
    String nodeName = placed.remove(uid);
    if (nodeName == null) {
      return;
    }
    antiAffinity.remove(uid);
    NodeInfo info = byName.get(nodeName);
    if (info != null) {
      info.removePod(uid);
      if (info.node() == null && info.pods.isEmpty()) {
        byName.remove(nodeName);
      }
    }
  }

  private void rebuildNodeList() {
    List<NodeInfo> list = new ArrayList<>();
    byName.values().stream().filter(n -> n.node() != null).forEach(list::add);
    nodes = List.copyOf(list);
  }

  /** Keeps the cache in step with the node informer. */
  ResourceEventHandler<Node> nodeHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        synchronized (SchedulerCache.this) {
          nodeAdds++;
          putNode(node);
        }
        onChange.run();
      }

      @Override
      public void onUpdate(Node old, Node node) {
        putNode(node);
        onChange.run();
      }

      @Override
      public void onDelete(Node node, boolean finalStateUnknown) {
        removeNode(node.getMetadata().getName());
      }
    };
  }

  /** Keeps the cache in step with the pod informer. */
  ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        synchronized (SchedulerCache.this) {
          podAdds++;
          putPod(pod);
        }
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        putPod(pod);
        boolean assigned = pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
        boolean freed = ended(pod) && !ended(old);
        boolean relabelled = !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
        if (assigned && (freed || relabelled)) {
          onChange.run();
        }
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        removePod(pod.getMetadata().getUid());
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (nodeName != null && !nodeName.isEmpty()) {
          onChange.run();
        }
      }
    };
  }
}
