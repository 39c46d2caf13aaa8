package io.capstan.controllers.gc;

import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The garbage collector, as Kubernetes': deletes objects whose owners are all gone, and carries
 * out the two deletions the API server leaves to it.
 *
 * <ul>
 *   <li><b>Background.</b> A dependent whose owners are all verified absent by a live read is
 *       deleted (Foreground when it carries the foregroundDeletion finalizer, Orphan when it
 *       carries orphan, else Background). When some owners still exist, only the dangling
 *       references are removed.
 *   <li><b>Foreground.</b> An owner being deleted with the {@code foregroundDeletion} finalizer
 *       has its dependents deleted: a dependent with dependents of its own is deleted in the
 *       foreground too, others in the background; a dependent with another live owner just loses
 *       the reference. Once no dependent holds the owner with {@code blockOwnerDeletion: true},
 *       the finalizer goes and the API server removes the owner.
 *   <li><b>Orphan.</b> An owner being deleted with the {@code orphan} finalizer has the references
 *       to it removed from all its dependents, then loses the finalizer.
 * </ul>
 *
 * Every resource that discovery shows as listable, watchable and deletable (custom resources
 * included, rediscovered every 30 s) is watched by a generic informer that feeds a {@link
 * DependencyGraph}. The queue holds uids. A cluster-scoped dependent naming a namespaced owner is
 * left alone (logged); a namespaced owner is always looked up in its dependent's namespace.
 */
public final class GarbageCollector implements Reconciler, ResourceDiscovery.Listener {
  private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
  /** How often discovery runs again to pick up new resources such as CRDs. */
  public static final Duration REDISCOVERY = Duration.ofSeconds(30);

  private final DependencyGraph graph = new DependencyGraph();
  private final ResourceDiscovery discovery;
  private final ApiCalls api;
  private final OwnerChecks owners;
  private final MetadataWrites writes;
  private volatile Controller controller;

  private GarbageCollector(KubernetesClient client, Duration rediscovery, ResourceDiscovery.SharedInformers shared) {
    this.discovery = new ResourceDiscovery(client, this, rediscovery, shared);
    this.api = new ApiCalls(client);
    this.owners = new OwnerChecks(discovery, api);
    this.writes = new MetadataWrites(api);
  }

  public static Controller controller(ControllerManager manager, int workers) {
    return controller(manager, workers, REDISCOVERY);
  }

  /** The collector with another rediscovery period (tests). */
  public static Controller controller(ControllerManager manager, int workers, Duration rediscovery) {
    GarbageCollector gc = new GarbageCollector(manager.client(), rediscovery, manager::existingInformer);
    Controller c = Controller.builder("garbagecollector", gc).workers(workers)
        .onStart(gc.discovery::start)
        .resync(() -> gc.graph.interesting().stream().map(GarbageCollector::key).toList())
        .closing(gc.discovery)
        .build();
    gc.controller = c;
    return c;
  }

  @Override
  public void changed(ResourceInfo resource, HasMetadata obj) {
    if (obj.getMetadata() != null && obj.getMetadata().getUid() != null) {
      enqueue(graph.upsert(Observed.of(resource.apiVersion(), resource.kind(), obj)));
    }
  }

  @Override
  public void deleted(ResourceInfo resource, HasMetadata obj) {
    if (obj.getMetadata() != null && obj.getMetadata().getUid() != null) {
      enqueue(graph.remove(obj.getMetadata().getUid()));
    }
  }

  @Override
  public Result reconcile(Request request) {
    Optional<DependencyGraph.View> found = graph.view(request.name());
    if (found.isEmpty()) {
      return Result.done();
    }
    DependencyGraph.View node = found.get();
    if (!node.virtual() && !node.hasOwners() && !node.beingDeleted()) {
      return Result.done();
    }
    ObjectRef id = node.id();
    Optional<ResourceInfo> res = discovery.resolve(id.apiVersion(), id.kind());
    if (res.isEmpty()) {
      LOG.debugf("kind of %s is not served (yet); trying again later", id);
      return Result.requeueWithBackoff();
    }
    if (node.virtual()) {
      return verifyVirtual(res.get(), id);
    }
    GenericKubernetesResource latest = api.get(res.get(), id.namespace(), id.name());
    if (latest == null || !id.uid().equals(latest.getMetadata().getUid())) {
      enqueue(graph.remove(id.uid()));
      return Result.done();
    }
    if (latest.getMetadata().getDeletionTimestamp() != null) {
      if (Finalizers.has(latest, Finalizers.FOREGROUND)) {
        return deleteDependents(res.get(), id);
      }
      if (Finalizers.has(latest, Finalizers.ORPHAN)) {
        return orphanDependents(res.get(), id);
      }
      return Result.done();
    }
    List<OwnerReference> refs = latest.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return Result.done();
    }
    return collect(res.get(), id, latest, refs);
  }

  /** An owner first seen as a reference: remove it (and recheck its dependents) when absent. */
  private Result verifyVirtual(ResourceInfo res, ObjectRef id) {
    String ns = res.namespaced() ? id.namespace() : "";
    GenericKubernetesResource live = api.get(res, ns, id.name());
    if (live == null || !id.uid().equals(live.getMetadata().getUid())) {
      owners.rememberAbsent(id.uid(), ns);
      enqueue(graph.remove(id.uid()));
    } else if (res.namespaced()) {
      // Dependents in other namespaces cannot have it as owner: let them find that out.
      graph.dependents(id.uid()).stream().filter(d -> !d.namespace().equals(ns)).forEach(d -> enqueue(List.of(d.uid())));
    }
    return Result.done();
  }

  /** The attemptToDelete of one dependent, not itself being deleted. */
  private Result collect(ResourceInfo res, ObjectRef id, GenericKubernetesResource latest, List<OwnerReference> refs) {
    OwnerChecks.Classified c;
    try {
      c = owners.classify(id, refs);
    } catch (OwnerChecks.InvalidReference e) {
      LOG.warnf("OwnerRefInvalidNamespace: %s", e.getMessage());
      return Result.done();
    }
    String rv = latest.getMetadata().getResourceVersion();
    if (!c.solid().isEmpty()) {
      if (c.dangling().isEmpty() && c.waiting().isEmpty()) {
        return Result.done();
      }
      List<String> drop = new ArrayList<>();
      c.dangling().forEach(r -> drop.add(r.getUid()));
      c.waiting().forEach(r -> drop.add(r.getUid()));
      LOG.debugf("%s keeps a live owner; dropping references to %s", id, drop);
      writes.dropOwners(res, id, drop);
      return Result.done();
    }
    if (!c.waiting().isEmpty() && graph.view(id.uid()).map(v -> v.dependents() > 0).orElse(false)) {
      if (graph.anyDependentDeletingDependents(id.uid())
          && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getBlockOwnerDeletion()))) {
        // A dependent already deletes in the foreground: unblock our owners to avoid a cycle.
        writes.unblockOwners(res, id);
        return Result.requeueWithBackoff();
      }
      return delete(res, id, rv, "Foreground");
    }
    String policy = Finalizers.has(latest, Finalizers.ORPHAN) ? "Orphan"
        : Finalizers.has(latest, Finalizers.FOREGROUND) ? "Foreground" : "Background";
    return delete(res, id, rv, policy);
  }

  private Result delete(ResourceInfo res, ObjectRef id, String rv, String policy) {
    LOG.debugf("deleting %s, its owners are gone (propagationPolicy=%s)", id, policy);
    return switch (api.delete(res, id, rv, policy)) {
      case OK, NOT_FOUND -> Result.done();
      case CONFLICT -> Result.requeueWithBackoff();
    };
  }

  /** An owner deleting in the foreground: wait for its blocking dependents, then let it go. */
  private Result deleteDependents(ResourceInfo res, ObjectRef id) {
    Map<ObjectRef, Boolean> blocking = graph.blockingDependents(id.uid());
    if (blocking.isEmpty()) {
      LOG.debugf("%s has no blocking dependents left; removing %s", id, Finalizers.FOREGROUND);
      writes.removeFinalizer(res, id, Finalizers.FOREGROUND);
      return Result.done();
    }
    blocking.forEach((dep, deletingItsOwn) -> {
      if (!deletingItsOwn) {
        enqueue(List.of(dep.uid()));
      }
    });
    return Result.done();
  }

  /** An owner deleting with the orphan finalizer: release every dependent, then let it go. */
  private Result orphanDependents(ResourceInfo res, ObjectRef id) {
    for (ObjectRef dep : graph.dependents(id.uid())) {
      Optional<ResourceInfo> depRes = discovery.resolve(dep.apiVersion(), dep.kind());
      if (depRes.isEmpty()) {
        throw new IllegalStateException("kind of dependent " + dep + " is not served");
      }
      writes.dropOwners(depRes.get(), dep, List.of(id.uid()));
    }
    writes.removeFinalizer(res, id, Finalizers.ORPHAN);
    return Result.done();
  }

  private void enqueue(Collection<String> uids) {
    Controller c = controller;
    if (c != null) {
      uids.forEach(uid -> c.enqueue(key(uid)));
    }
  }

  private static Request key(String uid) {
    return new Request("", uid);
  }
}
