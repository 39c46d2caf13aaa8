package io.capstan.controllers.nodelifecycle;

import io.capstan.controllers.meta.Tolerations;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Evicts pods from nodes with NoExecute taints, as upstream's taint eviction controller, one pod
 * per pass: a pod that does not tolerate every NoExecute taint of its node is deleted at once; a
 * pod that tolerates them all is deleted when the shortest {@code tolerationSeconds} among the
 * tolerations it uses has passed since the taint's {@code timeAdded} (or since this controller
 * first saw it tainted); a pod whose tolerations carry no seconds stays. Deletion is an ordinary
 * DELETE, so a pod bound to a dead node stays Terminating (nobody confirms it) and its controller
 * replaces it.
 */
public final class TaintEvictionReconciler implements Reconciler {
  public static final String NAME = "taint-eviction";
  private static final Logger LOG = Logger.getLogger(TaintEvictionReconciler.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final Clock clock;
  /** When a NoExecute taint without timeAdded was first seen, by node and taint. */
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

  public TaintEvictionReconciler(KubernetesClient client, SharedIndexInformer<Node> nodes,
      SharedIndexInformer<Pod> pods, Clock clock) {
    this.client = client;
    this.nodes = nodes;
    this.pods = pods;
    this.clock = clock;
  }

  /** The controller over {@code manager}'s shared pod and node informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<Node> nodes = manager.informer(Node.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    PodsByNode.index(pods);
    TaintEvictionReconciler r = new TaintEvictionReconciler(manager.client(), nodes, pods, Clock.systemUTC());
    return Controller.builder(NAME, r).workers(workers).primary(pods)
        .watches(nodes, n -> Taints.of(n).stream().anyMatch(t -> Taints.NO_EXECUTE.equals(t.getEffect()))
            ? PodsByNode.on(pods, n.getMetadata().getName()).stream().map(Request::of).toList() : List.of())
        .build();
  }

  @Override
  public Result reconcile(Request request) {
    Pod pod = pods.getStore().getByKey(request.cacheKey());
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || pod.getSpec() == null
        || pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      return Result.done();
    }
    Node node = nodes.getStore().getByKey(pod.getSpec().getNodeName());
    if (node == null) {
      return Result.done();
    }
    List<Taint> noExecute = Taints.of(node).stream().filter(t -> Taints.NO_EXECUTE.equals(t.getEffect())).toList();
    if (noExecute.isEmpty()) {
      return Result.done();
    }
    Instant now = clock.instant();
    List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    long minSeconds = Long.MAX_VALUE;
    Instant since = null;
    for (Taint taint : noExecute) {
      List<Toleration> used = tolerations.stream().filter(t -> Tolerations.tolerates(t, taint)).toList();
      if (used.isEmpty()) {
        return evict(pod, node, "does not tolerate " + taint.getKey() + ":" + taint.getEffect());
      }
      for (Toleration t : used) {
        if (t.getTolerationSeconds() != null && t.getTolerationSeconds() < minSeconds) {
          minSeconds = Math.max(0, t.getTolerationSeconds());
        }
      }
      Instant added = timeAdded(node, taint, now);
      since = since == null || added.isBefore(since) ? added : since;
    }
    if (minSeconds == Long.MAX_VALUE) {
      return Result.done();
    }
    Instant fireAt = since.plusSeconds(minSeconds);
    if (now.isBefore(fireAt)) {
      return Result.requeueAfter(Duration.between(now, fireAt));
    }
    return evict(pod, node, "tolerated its taints for " + minSeconds + "s");
  }

  private Instant timeAdded(Node node, Taint taint, Instant now) {
    if (taint.getTimeAdded() != null && !taint.getTimeAdded().isEmpty()) {
      try {
        return Instant.parse(taint.getTimeAdded());
      } catch (DateTimeParseException e) {
        LOG.debugf("node %s: unparsable timeAdded %s", node.getMetadata().getName(), taint.getTimeAdded());
      }
    }
    String key = node.getMetadata().getUid() + "/" + taint.getKey() + "=" + taint.getValue();
    return firstSeen.computeIfAbsent(key, k -> now);
  }

  private Result evict(Pod pod, Node node, String why) {
    LOG.infof("evicting pod %s/%s from node %s: %s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        node.getMetadata().getName(), why);
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    return Result.done();
  }
}
