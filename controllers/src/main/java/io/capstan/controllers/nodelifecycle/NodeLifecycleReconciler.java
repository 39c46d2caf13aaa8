package io.capstan.controllers.nodelifecycle;

import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Watches node health, as upstream's node lifecycle controller: a node whose Lease in {@code
 * kube-node-lease} has not been renewed, and whose Ready heartbeat has not moved, for the
 * node-monitor grace period (default {@link #DEFAULT_GRACE_PERIOD}) gets every kubelet condition
 * set to Unknown ({@code NodeStatusUnknown}, "Kubelet stopped posting node status.") through {@code
 * nodes/status}, and its pods marked Ready=False. The Ready condition decides the node's condition
 * taints: Unknown adds {@code node.kubernetes.io/unreachable} NoSchedule and NoExecute (with
 * timeAdded), False adds {@code node.kubernetes.io/not-ready}, True removes both. Taints are written
 * with the node's resourceVersion as a precondition, so others' taint edits are not lost.
 */
public final class NodeLifecycleReconciler implements Reconciler {
  public static final String NAME = "nodelifecycle";
  /** Upstream's default --node-monitor-grace-period since Kubernetes 1.29. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(50);
  static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final Logger LOG = Logger.getLogger(NodeLifecycleReconciler.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Lease> leases;
  private final SharedIndexInformer<Pod> pods;
  private final Duration grace;
  private final Clock clock;
  private final NodeHealth health = new NodeHealth();

  public NodeLifecycleReconciler(KubernetesClient client, SharedIndexInformer<Node> nodes,
      SharedIndexInformer<Lease> leases, SharedIndexInformer<Pod> pods, Duration grace, Clock clock) {
    this.client = client;
    this.nodes = nodes;
    this.leases = leases;
    this.pods = pods;
    this.grace = grace;
    this.clock = clock;
  }

  /** The controller with the default grace period. */
  public static Controller controller(ControllerManager manager, int workers) {
    return controller(manager, workers, DEFAULT_GRACE_PERIOD);
  }

  /** The controller over {@code manager}'s shared node, Lease and pod informers. */
  public static Controller controller(ControllerManager manager, int workers, Duration grace) {
    SharedIndexInformer<Node> nodes = manager.informer(Node.class);
    SharedIndexInformer<Lease> leases = manager.informer(Lease.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    PodsByNode.index(pods);
    NodeLifecycleReconciler r = new NodeLifecycleReconciler(manager.client(), nodes, leases, pods, grace,
        Clock.systemUTC());
    return Controller.builder(NAME, r).workers(workers).primary(nodes)
        .watches(leases, l -> LEASE_NAMESPACE.equals(l.getMetadata().getNamespace())
            ? List.of(new Request("", l.getMetadata().getName())) : List.of())
        .build();
  }

  @Override
  public Result reconcile(Request request) {
    Node node = nodes.getStore().getByKey(request.name());
    if (node == null) {
      health.forget(request.name());
      return Result.done();
    }
    Instant now = clock.instant();
    Lease lease = leases.getStore().getByKey(LEASE_NAMESPACE + "/" + request.name());
    String renew = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
        : lease.getSpec().getRenewTime().toInstant().toString();
    Instant probe = health.observe(request.name(), renew, NodeConditions.readyHeartbeat(node), now);
    Instant deadline = probe.plus(grace);
    boolean expired = !now.isBefore(deadline);
    List<NodeCondition> conditions = NodeConditions.of(node);
    if (expired && !NodeConditions.allUnknown(conditions)) {
      conditions = NodeConditions.unknown(conditions, now);
      LOG.infof("node %s: no Lease renewal or status for %s, marking it Unknown", request.name(), grace);
      // The node as written: its resourceVersion is the precondition of the taint write below.
      node = client.nodes().withName(request.name()).subresource("status").patch(MERGE,
          client.getKubernetesSerialization().asJson(Map.of("status", Map.of("conditions", conditions))));
    }
    String ready = NodeConditions.status(conditions, "Ready");
    List<Taint> taints = Taints.of(node);
    List<Taint> wanted = Taints.desired(taints, ready, now);
    if (!wanted.equals(taints)) {
      LOG.infof("node %s: Ready=%s, taints now %s", request.name(), ready,
          wanted.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList());
      client.nodes().withName(request.name()).patch(MERGE, client.getKubernetesSerialization().asJson(
          Map.of("metadata", Map.of("resourceVersion", node.getMetadata().getResourceVersion()),
              "spec", Map.of("taints", wanted))));
    }
    if (ready != null && !"True".equals(ready) && (expired || "False".equals(ready))
        && !markPodsNotReady(request.name(), now)) {
      return Result.requeueWithBackoff();
    }
    return expired ? Result.done() : Result.requeueAfter(Duration.between(now, deadline));
  }

  /**
   * Sets Ready=False on every pod bound to {@code node} that still says otherwise; false when a
   * pod changed under the write (it is tried again on the next pass).
   */
  private boolean markPodsNotReady(String node, Instant now) {
    boolean all = true;
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (Pod pod : PodsByNode.on(pods, node)) {
      List<PodCondition> current = pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of()
          : pod.getStatus().getConditions();
      if (current.stream().noneMatch(c -> "Ready".equals(c.getType()) && !"False".equals(c.getStatus()))) {
        continue;
      }
      List<PodCondition> next = new ArrayList<>();
      for (PodCondition c : current) {
        if ("Ready".equals(c.getType()) && !"False".equals(c.getStatus())) {
          PodCondition copy = new PodCondition(c.getLastProbeTime(), ts, c.getMessage(), c.getObservedGeneration(),
              c.getReason(), "False", c.getType());
          next.add(copy);
        } else {
          next.add(c);
        }
      }
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .subresource("status").patch(MERGE, client.getKubernetesSerialization().asJson(Map.of(
                "metadata", Map.of("resourceVersion", pod.getMetadata().getResourceVersion()),
                "status", Map.of("conditions", next))));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          all = false;
        } else if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    return all;
  }
}
