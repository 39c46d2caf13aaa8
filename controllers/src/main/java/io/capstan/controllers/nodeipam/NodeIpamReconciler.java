package io.capstan.controllers.nodeipam;

import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Gives every Node a pod CIDR, as kube-controller-manager's node IPAM range allocator: a Node
 * without spec.podCIDR gets the next free block of the cluster CIDR (default {@value
 * #DEFAULT_CLUSTER_CIDR} in /{@value #DEFAULT_MASK_SIZE}s) in spec.podCIDR and spec.podCIDRs, by a
 * merge patch with the Node's resourceVersion as precondition. A Node that has one keeps it (it is
 * immutable once set) and its block counts as taken; the block is freed when the Node is deleted.
 * The taken set lives in memory and is rebuilt from the Nodes in the informer cache on the first
 * pass, so a restarted controller never hands out a block twice. When every block is taken the
 * Node gets a Normal event CIDRNotAvailable ("Node N status is now: CIDRNotAvailable", once per
 * Node until it gets one) and is tried again every {@link #RETRY}.
 */
public final class NodeIpamReconciler implements Reconciler {
  public static final String NAME = "nodeipam";
  public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";
  public static final int DEFAULT_MASK_SIZE = 24;
  static final Duration RETRY = Duration.ofSeconds(5);
  private static final Logger LOG = Logger.getLogger(NodeIpamReconciler.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;
  private final CidrSet cidrs;
  private final NodeEvents events;
  /** Node name to its block, and block to the Node holding it; guarded by this. */
  private final Map<String, String> byNode = new HashMap<>();
  private final Map<String, String> owners = new HashMap<>();
  private final Set<String> reportedFull = new HashSet<>();
  private boolean rebuilt;

  public NodeIpamReconciler(KubernetesClient client, SharedIndexInformer<Node> nodes, CidrSet cidrs) {
    this.client = client;
    this.nodes = nodes;
    this.cidrs = cidrs;
    this.events = new NodeEvents(client);
  }

  /** The controller with the default cluster CIDR and mask size. */
  public static Controller controller(ControllerManager manager, int workers) {
    return controller(manager, workers, DEFAULT_CLUSTER_CIDR, DEFAULT_MASK_SIZE);
  }

  /**
   * The controller over {@code manager}'s shared Node informer.
   *
   * @throws IllegalArgumentException when the CIDR or mask size is bad
   */
  public static Controller controller(ControllerManager manager, int workers, String clusterCidr, int maskSize) {
    CidrSet cidrs = new CidrSet(clusterCidr, maskSize);
    SharedIndexInformer<Node> nodes = manager.informer(Node.class);
    NodeIpamReconciler r = new NodeIpamReconciler(manager.client(), nodes, cidrs);
    return Controller.builder(NAME, r).workers(workers).primary(nodes).build();
  }

  @Override
  public Result reconcile(Request request) {
    String name = request.name();
    rebuildOnce();
    Node node = nodes.getStore().getByKey(name);
    if (node == null) {
      forget(name);
      return Result.done();
    }
    String have = podCidr(node);
    if (have != null) {
      record(name, have);
      return Result.done();
    }
    String cidr = cidrs.allocateNext();
    if (cidr == null) {
      boolean first;
      synchronized (this) {
        first = reportedFull.add(name);
      }
      if (first) {
        LOG.warnf("node %s: no pod CIDR left in the cluster CIDR", name);
        events.cidrNotAvailable(node);
      }
      return Result.requeueAfter(RETRY);
    }
    try {
      client.nodes().withName(name).patch(MERGE, client.getKubernetesSerialization().asJson(Map.of(
          "metadata", Map.of("resourceVersion", node.getMetadata().getResourceVersion()),
          "spec", Map.of("podCIDR", cidr, "podCIDRs", List.of(cidr)))));
    } catch (KubernetesClientException e) {
      cidrs.release(cidr);
      if (e.getCode() == 404) {
        return Result.done();
      }
      throw e;
    }
    LOG.infof("node %s: pod CIDR %s", name, cidr);
    record(name, cidr);
    return Result.done();
  }

  /** The Node's pod CIDR (podCIDRs[0], else podCIDR), or null. */
  static String podCidr(Node node) {
    if (node.getSpec() == null) {
      return null;
    }
    List<String> all = node.getSpec().getPodCIDRs();
    String first = all != null && !all.isEmpty() ? all.get(0) : node.getSpec().getPodCIDR();
    return first == null || first.isEmpty() ? null : first;
  }

  private synchronized void rebuildOnce() {
    if (rebuilt) {
      return;
    }
    for (Node n : nodes.getStore().list()) {
      String cidr = podCidr(n);
      if (cidr != null) {
        record(n.getMetadata().getName(), cidr);
      }
    }
    rebuilt = true;
  }

  private synchronized void record(String node, String cidr) {
    reportedFull.remove(node);
    String before = byNode.put(node, cidr);
    if (before != null && !before.equals(cidr) && node.equals(owners.get(before))) {
      owners.remove(before);
      cidrs.release(before);
    }
    if (!cidrs.occupy(cidr)) {
      if (before == null || !before.equals(cidr)) {
        LOG.infof("node %s: pod CIDR %s is not a block of the cluster CIDR; left alone", node, cidr);
      }
      return;
    }
    owners.putIfAbsent(cidr, node);
  }

  private synchronized void forget(String node) {
    reportedFull.remove(node);
    String cidr = byNode.remove(node);
    if (cidr != null && node.equals(owners.get(cidr))) {
      owners.remove(cidr);
      cidrs.release(cidr);
      LOG.infof("node %s deleted: pod CIDR %s freed", node, cidr);
    }
  }
}
