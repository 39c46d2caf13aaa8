package io.capstan.controllers.deployment;

import io.capstan.controllers.meta.LabelSelectors;
import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.Adopters;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Rolls Deployments out through ReplicaSets, as upstream's deployment controller. A pass claims
 * the Deployment's ReplicaSets, then: while paused, only scales (proportionally) and trims
 * history; when {@code spec.replicas} changed, scales; otherwise makes one step of the
 * RollingUpdate or Recreate strategy. Every pass ends by writing {@code /status} (counts from the
 * ReplicaSets' statuses, the Available and Progressing conditions). A Deployment being deleted is
 * left to the garbage collector.
 *
 * <p>Watches: Deployments (primary); ReplicaSets through their controller ownerReference, and
 * orphan ReplicaSets to the Deployments selecting them; pods to the Deployment owning their
 * ReplicaSet only for Recreate Deployments (old pods disappearing), as upstream. Availability
 * reaches a Deployment through its ReplicaSets' status, which their controller writes once the
 * shared pod cache shows the change: mapping every pod event would make a 1,000-pod rollout
 * reconcile (and scan every pod of the namespace) thousands of times.
 */
public final class DeploymentReconciler implements Reconciler {
  public static final String NAME = "deployment";
  private static final Logger LOG = Logger.getLogger(DeploymentReconciler.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final Clock clock;
  private final ReplicaSetWrites writes;
  private final ReplicaSetClaims claims;

  public DeploymentReconciler(KubernetesClient client, SharedIndexInformer<Deployment> deployments,
      SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods, Clock clock) {
    this.client = client;
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.clock = clock;
    this.writes = new ReplicaSetWrites(client, clock);
    this.claims = new ReplicaSetClaims(client);
  }

  /** The Deployment controller over {@code manager}'s shared Deployment, ReplicaSet and pod informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<Deployment> d = manager.informer(Deployment.class);
    SharedIndexInformer<ReplicaSet> rs = manager.informer(ReplicaSet.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    DeploymentReconciler reconciler = new DeploymentReconciler(manager.client(), d, rs, pods, Clock.systemUTC());
    return Controller.builder(NAME, reconciler).workers(workers)
        .primary(d).owns(rs, Deployment.class).watches(rs, reconciler::adopters)
        .watches(pods, reconciler::ownerOfPod).build();
  }

  @Override
  public Result reconcile(Request request) {
    Deployment cached = deployments.getStore().getByKey(request.cacheKey());
    if (cached == null) {
      writes.forget(request);
      return Result.done();
    }
    if (cached.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    if (!writes.settled(request, replicaSets.getStore()::getByKey)) {
      // The ReplicaSet events that settle it enqueue this key; this is the fallback.
      return Result.requeueAfter(Duration.ofSeconds(1));
    }
    LabelSelector selector = cached.getSpec().getSelector();
    if (selector == null || (empty(selector.getMatchLabels()) && empty(selector.getMatchExpressions()))) {
      LOG.warnf("skipping deployment=%s: an empty selector would select every pod", request);
      return Result.done();
    }
    Deployment d = client.getKubernetesSerialization().clone(cached);
    List<ReplicaSet> sets = claims.claim(d, replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, request.namespace()));
    Rollout r = new Rollout(request, d, cached.getStatus(), sets, podsByOwner(d, sets), writes, clock.instant());
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      Progress.checkPaused(d, r.now);
      return scaleOnly(r);
    }
    Progress.checkPaused(d, r.now);
    if (!Sync.findOrCreate(r, false)) {
      return Result.done();
    }
    if (Sync.isScalingEvent(r)) {
      return scaleOnly(r);
    }
    return Replicas.isRollingUpdate(d) ? RollingUpdate.rollout(r) : Recreate.rollout(r);
  }

  private static Result scaleOnly(Rollout r) {
    if (!Sync.findOrCreate(r, false)) {
      return Result.done();
    }
    Sync.scale(r);
    if (Boolean.TRUE.equals(r.d.getSpec().getPaused())) {
      Sync.cleanup(r);
    }
    return Progress.syncStatus(r);
  }

  /** The Deployments that could adopt {@code rs}: those selecting it, if it has no controller. */
  public List<Request> adopters(ReplicaSet rs) {
    return Adopters.of(deployments, o -> o.getSpec().getSelector(), rs);
  }

  /** The Recreate Deployment controlling the ReplicaSet that controls {@code pod}, if any. */
  public List<Request> ownerOfPod(Pod pod) {
    return OwnerReferences.controllerOf(pod).filter(ref -> OwnerReferences.refersTo(ref, "apps", "ReplicaSet"))
        .map(ref -> replicaSets.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + ref.getName()))
        .flatMap(OwnerReferences::controllerOf)
        .filter(ref -> OwnerReferences.refersTo(ref, "apps", "Deployment"))
        .map(ref -> new Request(pod.getMetadata().getNamespace(), ref.getName()))
        .filter(key -> {
          Deployment d = deployments.getStore().getByKey(key.cacheKey());
          return d != null && !Replicas.isRollingUpdate(d);
        })
        .map(List::of)
        .orElse(List.of());
  }

  /** The cached pods the Deployment selects, grouped by the uid of the owned ReplicaSet controlling them. */
  private Map<String, List<Pod>> podsByOwner(Deployment d, List<ReplicaSet> sets) {
    Set<String> uids = sets.stream().map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
    Map<String, List<Pod>> byOwner = new HashMap<>();
    for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, d.getMetadata().getNamespace())) {
      if (!LabelSelectors.matches(d.getSpec().getSelector(), pod.getMetadata().getLabels())) {
        continue;
      }
      OwnerReferences.controllerOf(pod).map(ref -> ref.getUid()).filter(uids::contains)
          .ifPresent(uid -> byOwner.computeIfAbsent(uid, k -> new ArrayList<>()).add(pod));
    }
    return byOwner;
  }

  private static boolean empty(Collection<?> c) {
    return c == null || c.isEmpty();
  }

  private static boolean empty(Map<?, ?> m) {
    return m == null || m.isEmpty();
  }
}
