package io.capstan.controllers.daemonset;

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
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs one pod of each DaemonSet on every eligible node, as upstream's DaemonSet controller:
 * claim the pods its selector matches, record the template as a ControllerRevision, group the
 * pods by the node they are for, create and delete them as {@link DaemonSetPlan} says (then, in a
 * pass with nothing else to do, take a {@link DaemonSetRollout} step), and write the counts to
 * {@code /status}. Pods are created unbound, pinned to their node by node affinity, for the
 * scheduler.
 *
 * <p>Watches: DaemonSets (primary); pods and ControllerRevisions through their controller
 * ownerReference; orphan pods to every DaemonSet that selects them; every node change to every
 * DaemonSet.
 */
public final class DaemonSetReconciler implements Reconciler {
  public static final String NAME = "daemonset";
  /** As upstream's burstReplicas: at most this many creations or deletions in one pass. */
  static final int BURST = 250;
  private static final Logger LOG = Logger.getLogger(DaemonSetReconciler.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final SharedIndexInformer<DaemonSet> daemonSets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final Clock clock;
  private final Expectations expectations;
  private final PodClaims claims;
  private final ControllerHistory history;

  public DaemonSetReconciler(KubernetesClient client, SharedIndexInformer<DaemonSet> daemonSets,
      SharedIndexInformer<Pod> pods, SharedIndexInformer<Node> nodes, SharedIndexInformer<ControllerRevision> revisions,
      Clock clock) {
    this.client = client;
    this.daemonSets = daemonSets;
    this.pods = pods;
    this.nodes = nodes;
    this.clock = clock;
    this.expectations = new Expectations(clock);
    this.claims = new PodClaims(client);
    this.history = new ControllerHistory(client, revisions);
  }

  /** The DaemonSet controller over {@code manager}'s shared informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<DaemonSet> ds = manager.informer(DaemonSet.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    SharedIndexInformer<Node> nodes = manager.informer(Node.class);
    SharedIndexInformer<ControllerRevision> revisions = manager.informer(ControllerRevision.class);
    DaemonSetReconciler reconciler = new DaemonSetReconciler(manager.client(), ds, pods, nodes, revisions,
        Clock.systemUTC());
    return Controller.builder(NAME, reconciler).workers(workers)
        .primary(ds).owns(pods, DaemonSet.class).owns(revisions, DaemonSet.class)
        .watches(pods, reconciler::adopters)
        .watches(nodes, n -> ds.getStore().list().stream().map(Request::of).toList())
        .build();
  }

  @Override
  public Result reconcile(Request request) {
    DaemonSet ds = daemonSets.getStore().getByKey(request.cacheKey());
    if (ds == null) {
      expectations.forget(request);
      return Result.done();
    }
    List<Pod> owned = claims.claim(ds, ds.getSpec().getSelector(),
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, request.namespace()));
    List<ControllerRevision> revisions = new ArrayList<>(history.owned(ds));
    int collisions = ds.getStatus() == null || ds.getStatus().getCollisionCount() == null
        ? 0 : ds.getStatus().getCollisionCount();
    Map<String, String> templateLabels = ds.getSpec().getTemplate().getMetadata() == null
        ? null : ds.getSpec().getTemplate().getMetadata().getLabels();
    ControllerHistory.Update update = history.ensure(ds, revisions, templateLabels,
        Revisions.templateData(history.json(), ds.getSpec().getTemplate()), collisions);
    String revisionName = update.revision().getMetadata().getName();
    String hash = hashOf(update.revision(), ds);

    Map<String, List<Pod>> byNode = new LinkedHashMap<>();
    for (Pod pod : owned) {
      String node = DaemonPods.targetNode(pod);
      if (node != null) {
        byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(pod);
      }
    }
    List<Node> nodeList = nodes.getStore().list();
    boolean settled = expectations.satisfied(request, name -> pods.getStore().getByKey(request.namespace() + "/" + name));
    KubernetesClientException failure = null;
    if (settled && ds.getMetadata().getDeletionTimestamp() == null) {
      DaemonSetPlan.Actions actions = DaemonSetPlan.manage(ds, nodeList, byNode, hash, clock.instant());
      if (actions.isEmpty() && DaemonSetRollout.isRollingUpdate(ds)) {
        actions = DaemonSetRollout.step(ds, nodeList, byNode, hash, clock.instant());
      }
      try {
        apply(request, ds, hash, actions);
      } catch (KubernetesClientException e) {
        failure = e;
      }
    }
    DaemonSetStatus status = DaemonSetStatuses.compute(ds, nodeList, byNode, hash, update.collisionCount(),
        clock.instant());
    if (!DaemonSetStatuses.same(ds.getStatus(), status)) {
      client.apps().daemonSets().inNamespace(request.namespace()).withName(request.name()).subresource("status")
          .patch(MERGE, client.getKubernetesSerialization().asJson(DaemonSetStatuses.patch(status)));
    }
    Set<String> liveHashes = new HashSet<>();
    liveHashes.add(hash);
    owned.forEach(p -> liveHashes.add(p.getMetadata().getLabels() == null ? null
        : p.getMetadata().getLabels().get(DaemonPods.HASH_LABEL)));
    Set<String> live = new HashSet<>();
    live.add(revisionName);
    List<ControllerRevision> all = history.owned(ds);
    all.stream().filter(r -> liveHashes.contains(hashOf(r, ds))).forEach(r -> live.add(r.getMetadata().getName()));
    Integer limit = ds.getSpec().getRevisionHistoryLimit();
    history.truncate(all, live, limit == null ? 10 : limit);
    if (failure != null) {
      throw failure;
    }
    if (!settled) {
      return expectations.recheck(request);
    }
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    if (minReady > 0 && status.getNumberReady() > status.getNumberAvailable()) {
      return Result.requeueAfter(Duration.ofSeconds(minReady));
    }
    return Result.done();
  }

  /** The DaemonSets that could adopt {@code pod}: those selecting it, if it has no controller. */
  public List<Request> adopters(Pod pod) {
    return Adopters.of(daemonSets, o -> o.getSpec().getSelector(), pod);
  }

  private void apply(Request request, DaemonSet ds, String hash, DaemonSetPlan.Actions actions) {
    for (Pod pod : actions.delete().subList(0, Math.min(BURST, actions.delete().size()))) {
      LOG.debugf("deleting daemon pod namespace=%s name=%s node=%s", request.namespace(), pod.getMetadata().getName(),
          DaemonPods.targetNode(pod));
      expectations.expectDeletion(request, pod);
      try {
        client.pods().inNamespace(request.namespace()).withName(pod.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        expectations.cancel(request, pod.getMetadata().getName());
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    for (String node : actions.create().subList(0, Math.min(BURST, actions.create().size()))) {
      LOG.debugf("creating daemon pod namespace=%s daemonset=%s node=%s", request.namespace(), request.name(), node);
      Pod created = client.pods().inNamespace(request.namespace()).resource(DaemonPods.newPod(ds, hash, node)).create();
      expectations.expectCreation(request, created.getMetadata().getName());
    }
  }

  /** The hash of a revision: its hash label, else what follows {@code <ds>-} in its name. */
  private static String hashOf(ControllerRevision revision, DaemonSet ds) {
    Map<String, String> labels = revision.getMetadata().getLabels();
    String hash = labels == null ? null : labels.get(Revisions.HASH_LABEL);
    if (hash != null && !hash.isEmpty()) {
      return hash;
    }
    String name = revision.getMetadata().getName();
    String prefix = ds.getMetadata().getName() + "-";
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }
}
