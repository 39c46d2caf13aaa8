package io.capstan.controllers.replicaset;

import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.pods.Expectations;
import io.capstan.controllers.pods.PodClaims;
import io.capstan.controllers.pods.PodTemplates;
import io.capstan.controllers.pods.SlowStart;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.Adopters;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps {@code spec.replicas} pods running for each ReplicaSet, as upstream's ReplicaSet
 * controller: claim the matching pods (adopt orphans, release owned pods that stopped matching),
 * create or delete pods to reach the count, then write the counts to {@code /status}.
 *
 * <p>Watches: ReplicaSets (primary); pods through their controller ownerReference; and orphan pods
 * to every ReplicaSet in their namespace whose selector matches them, so they get adopted.
 */
public final class ReplicaSetReconciler implements Reconciler {
  public static final String NAME = "replicaset";
  /** As upstream's burstReplicas: at most this many creations or deletions in one pass. */
  static final int BURST_REPLICAS = 500;
  private static final Logger LOG = Logger.getLogger(ReplicaSetReconciler.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final Clock clock;
  private final Expectations expectations;
  private final PodClaims claims;
  private final SlowStart creations = new SlowStart(NAME);

  public ReplicaSetReconciler(KubernetesClient client, SharedIndexInformer<ReplicaSet> replicaSets,
      SharedIndexInformer<Pod> pods, Clock clock) {
    this.client = client;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.clock = clock;
    this.expectations = new Expectations(clock);
    this.claims = new PodClaims(client);
  }

  /** The ReplicaSet controller over {@code manager}'s shared ReplicaSet and pod informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<ReplicaSet> rs = manager.informer(ReplicaSet.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    ReplicaSetReconciler reconciler = new ReplicaSetReconciler(manager.client(), rs, pods, Clock.systemUTC());
    return Controller.builder(NAME, reconciler).workers(workers).closing(reconciler.creations)
        .primary(rs).owns(pods, ReplicaSet.class).watches(pods, reconciler::adopters).build();
  }

  @Override
  public Result reconcile(Request request) {
    ReplicaSet rs = replicaSets.getStore().getByKey(request.cacheKey());
    if (rs == null) {
      expectations.forget(request);
      return Result.done();
    }
    List<Pod> owned = claims.claim(rs, rs.getSpec().getSelector(), podsIn(rs.getMetadata().getNamespace()).stream().filter(ActivePods::isActive).toList());
    int diff = owned.size() - desiredReplicas(rs);
    boolean settled = expectations.satisfied(request, name -> pods.getStore().getByKey(request.namespace() + "/" + name));
    KubernetesClientException failure = null;
    if (settled && diff != 0 && rs.getMetadata().getDeletionTimestamp() == null) {
      try {
        manage(request, rs, owned, diff);
      } catch (KubernetesClientException e) {
        failure = e;
      }
    }
    ReplicaSetStatus status = ReplicaSetStatuses.compute(rs, owned, diff < 0 ? "FailedCreate" : "FailedDelete",
        failure == null ? null : failure.getMessage(), clock.instant());
    if (!ReplicaSetStatuses.same(rs.getStatus(), status)) {
      client.apps().replicaSets().inNamespace(request.namespace()).withName(request.name()).subresource("status")
          .patch(MERGE, client.getKubernetesSerialization().asJson(ReplicaSetStatuses.patch(status)));
    }
    if (failure != null) {
      throw failure;
    }
    if (!settled) {
      // The pod events that settle the expectations enqueue this key; this is the fallback.
      return expectations.recheck(request);
    }
    int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    if (minReady > 0 && status.getReadyReplicas() > status.getAvailableReplicas()) {
      // Nothing will signal the end of minReadySeconds: look again then.
      return Result.requeueAfter(Duration.ofSeconds(minReady));
    }
    return Result.done();
  }

  /** The ReplicaSets that could adopt {@code pod}: those selecting it, if it has no controller. */
  public List<Request> adopters(Pod pod) {
    return Adopters.of(replicaSets, o -> o.getSpec().getSelector(), pod);
  }

  /**
   * Creates or deletes pods to close {@code diff} (owned minus desired), at most a burst at a
   * time; creations go in doubling parallel batches ({@link SlowStart}).
   */
  private void manage(Request request, ReplicaSet rs, List<Pod> owned, int diff) {
    LOG.debugf("%s pods controller=%s namespace=%s name=%s have=%d want=%d", diff < 0 ? "creating" : "deleting",
        NAME, request.namespace(), request.name(), owned.size(), owned.size() - diff);
    if (diff < 0) {
      try {
        creations.run(Math.min(-diff, BURST_REPLICAS),
            () -> client.pods().inNamespace(request.namespace()).resource(newPod(rs)).create(),
            created -> expectations.expectCreation(request, created.getMetadata().getName()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    List<Pod> victims = owned.stream().sorted(ActivePods.DELETE_FIRST).limit(Math.min(diff, BURST_REPLICAS)).toList();
    for (Pod pod : victims) {
      expectations.expectDeletion(request, pod);
      try {
        client.pods().inNamespace(request.namespace()).withName(pod.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        expectations.cancel(request, pod.getMetadata().getName());
        throw e;
      }
    }
  }

  /** A new pod of {@code rs}, named {@code <rs-name>-<random>} by the API server. */
  static Pod newPod(ReplicaSet rs) {
    return new PodBuilder(PodTemplates.newPod(rs, rs.getSpec().getTemplate()))
        .editMetadata().withGenerateName(rs.getMetadata().getName() + "-").endMetadata().build();
  }

  private List<Pod> podsIn(String namespace) {
    return pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  private static int desiredReplicas(ReplicaSet rs) {
    Integer replicas = rs.getSpec().getReplicas();
    return replicas == null ? 1 : Math.max(0, replicas);
  }
}
