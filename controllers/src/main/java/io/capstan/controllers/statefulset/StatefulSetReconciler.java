package io.capstan.controllers.statefulset;

import io.capstan.controllers.history.ControllerHistory;
import io.capstan.controllers.history.Revisions;
import io.capstan.controllers.pods.Expectations;
import io.capstan.controllers.pods.PodClaims;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.Adopters;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the pods of each StatefulSet, as upstream's StatefulSet controller: claim the pods its
 * selector matches, record the template as a ControllerRevision (the update revision), let
 * {@link StatefulSetControl} create, delete and roll pods by ordinal, write the counts and
 * revisions to {@code /status}, and prune revisions beyond {@code revisionHistoryLimit}.
 *
 * <p>Watches: StatefulSets (primary); pods and ControllerRevisions through their controller
 * ownerReference; and orphan pods to every StatefulSet in their namespace that selects them.
 */
public final class StatefulSetReconciler implements Reconciler {
  public static final String NAME = "statefulset";
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final SharedIndexInformer<StatefulSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final Clock clock;
  private final Expectations expectations;
  private final PodClaims claims;
  private final ControllerHistory history;
  private final StatefulSetControl control;

  public StatefulSetReconciler(KubernetesClient client, SharedIndexInformer<StatefulSet> sets,
      SharedIndexInformer<Pod> pods, SharedIndexInformer<ControllerRevision> revisions, Clock clock) {
    this.client = client;
    this.sets = sets;
    this.pods = pods;
    this.clock = clock;
    this.expectations = new Expectations(clock);
    this.claims = new PodClaims(client);
    this.history = new ControllerHistory(client, revisions);
    this.control = new StatefulSetControl(client, expectations);
  }

  /** The StatefulSet controller over {@code manager}'s shared informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<StatefulSet> sets = manager.informer(StatefulSet.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    SharedIndexInformer<ControllerRevision> revisions = manager.informer(ControllerRevision.class);
    StatefulSetReconciler reconciler = new StatefulSetReconciler(manager.client(), sets, pods, revisions,
        Clock.systemUTC());
    return Controller.builder(NAME, reconciler).workers(workers)
        .primary(sets).owns(pods, StatefulSet.class).owns(revisions, StatefulSet.class)
        .watches(pods, reconciler::adopters).build();
  }

  @Override
  public Result reconcile(Request request) {
    StatefulSet set = sets.getStore().getByKey(request.cacheKey());
    if (set == null) {
      expectations.forget(request);
      return Result.done();
    }
    List<Pod> owned = claims.claim(set, set.getSpec().getSelector(),
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, request.namespace()));
    List<ControllerRevision> revisions = new ArrayList<>(history.owned(set));
    int collisions = set.getStatus() == null || set.getStatus().getCollisionCount() == null
        ? 0 : set.getStatus().getCollisionCount();
    Map<String, String> templateLabels = set.getSpec().getTemplate().getMetadata() == null
        ? null : set.getSpec().getTemplate().getMetadata().getLabels();
    ControllerHistory.Update update = history.ensure(set, revisions, templateLabels,
        Revisions.templateData(history.json(), set.getSpec().getTemplate()), collisions);
    revisions.removeIf(r -> r.getMetadata().getName().equals(update.revision().getMetadata().getName()));
    revisions.add(update.revision());
    StatefulSetControl.Revision updateRevision = new StatefulSetControl.Revision(
        update.revision().getMetadata().getName(), set.getSpec().getTemplate());
    StatefulSetControl.Revision currentRevision = current(set, revisions, updateRevision);

    boolean settled = expectations.satisfied(request, name -> pods.getStore().getByKey(request.namespace() + "/" + name));
    if (settled && set.getMetadata().getDeletionTimestamp() == null) {
      control.sync(request, set, owned, currentRevision, updateRevision, clock.instant());
    }
    StatefulSetStatus status = StatefulSetStatuses.compute(set, owned, currentRevision.name(), updateRevision.name(),
        update.collisionCount(), clock.instant());
    if (!StatefulSetStatuses.same(set.getStatus(), status)) {
      client.apps().statefulSets().inNamespace(request.namespace()).withName(request.name()).subresource("status")
          .patch(MERGE, client.getKubernetesSerialization().asJson(StatefulSetStatuses.patch(status)));
    }
    Set<String> live = new HashSet<>();
    owned.forEach(p -> live.add(StatefulPods.revision(p)));
    live.add(status.getCurrentRevision());
    live.add(status.getUpdateRevision());
    Integer limit = set.getSpec().getRevisionHistoryLimit();
    history.truncate(revisions.stream().sorted(Revisions.BY_REVISION).toList(), live, limit == null ? 10 : limit);

    if (!settled) {
      // The pod events that settle the expectations enqueue this key; this is the fallback.
      return expectations.recheck(request);
    }
    int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    if (minReady > 0 && status.getReadyReplicas() > status.getAvailableReplicas()) {
      // Nothing will signal the end of minReadySeconds: look again then.
      return Result.requeueAfter(Duration.ofSeconds(minReady));
    }
    return Result.done();
  }

  /** The StatefulSets that could adopt {@code pod}: those selecting it, if it has no controller. */
  public List<Request> adopters(Pod pod) {
    return Adopters.of(sets, o -> o.getSpec().getSelector(), pod);
  }

  /**
   * The current revision: the one {@code status.currentRevision} names, with the template it
   * holds, or the update revision when there is none (a new set, or its revision is gone).
   */
  private StatefulSetControl.Revision current(StatefulSet set, List<ControllerRevision> revisions,
      StatefulSetControl.Revision update) {
    String name = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
    if (name == null || name.equals(update.name())) {
      return update;
    }
    for (ControllerRevision r : revisions) {
      if (r.getMetadata().getName().equals(name)) {
        PodTemplateSpec template = Revisions.template(history.json(), r);
        if (template != null) {
          return new StatefulSetControl.Revision(name, template);
        }
      }
    }
    return update;
  }
}
