package io.capstan.controllers.history;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The update history of one kind of controller (StatefulSet, DaemonSet) as ControllerRevisions,
 * read from a shared informer and written through the API, as upstream's {@code
 * controller/history}: the revisions a parent controls, the revision of its current template
 * (reused, renumbered on a rollback, or created, with the collision count bumped when a
 * different revision already has the name) and the pruning of old revisions.
 */
public final class ControllerHistory {
  private static final Logger LOG = Logger.getLogger(ControllerHistory.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  /** Attempts at a free name before giving up for this pass. */
  private static final int MAX_COLLISIONS = 16;

  /**
   * The revision of the parent's current template and the collision count to record in its
   * status.
   */
  public record Update(ControllerRevision revision, int collisionCount) {}

  private final KubernetesClient client;
  private final SharedIndexInformer<ControllerRevision> revisions;
  private final KubernetesSerialization json;

  public ControllerHistory(KubernetesClient client, SharedIndexInformer<ControllerRevision> revisions) {
    this.client = client;
    this.revisions = revisions;
    this.json = client.getKubernetesSerialization();
  }

  public KubernetesSerialization json() {
    return json;
  }

  /** The revisions {@code parent} controls, oldest first. */
  public List<ControllerRevision> owned(HasMetadata parent) {
    String uid = parent.getMetadata().getUid();
    return revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, parent.getMetadata().getNamespace()).stream()
        .filter(r -> OwnerReferences.controllerOf(r).filter(ref -> uid.equals(ref.getUid())).isPresent())
        .sorted(Revisions.BY_REVISION).toList();
  }

  /**
   * The revision holding {@code data} for {@code parent}: the newest revision when it already
   * holds it; an older one holding it, renumbered to be the newest (a rollback); else a new
   * revision, named by the hash of the data and {@code collisionCount}, raising the count while
   * another revision has that name.
   */
  public Update ensure(HasMetadata parent, List<ControllerRevision> history, Map<String, String> labels,
      Object data, int collisionCount) {
    long next = history.isEmpty() ? 1 : number(history.get(history.size() - 1)) + 1;
    List<ControllerRevision> equal = history.stream().filter(r -> Revisions.sameData(json, r.getData(), data)).toList();
    if (!equal.isEmpty()) {
      ControllerRevision match = equal.get(equal.size() - 1);
      if (match == history.get(history.size() - 1)) {
        return new Update(match, collisionCount);
      }
      ControllerRevision renumbered = client.apps().controllerRevisions()
          .inNamespace(match.getMetadata().getNamespace()).withName(match.getMetadata().getName())
          .patch(MERGE, json.asJson(Map.of("revision", next)));
      return new Update(renumbered, collisionCount);
    }
    int count = collisionCount;
    for (int attempt = 0; attempt < MAX_COLLISIONS; attempt++) {
      String hash = Revisions.hash(json, data, count);
      ControllerRevision wanted = Revisions.newRevision(parent, labels, data, next, hash);
      try {
        return new Update(client.apps().controllerRevisions().resource(wanted).create(), count);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      ControllerRevision existing = client.apps().controllerRevisions().inNamespace(parent.getMetadata().getNamespace())
          .withName(wanted.getMetadata().getName()).get();
      if (existing != null && Revisions.sameData(json, existing.getData(), data)
          && OwnerReferences.controllerOf(existing).filter(r -> parent.getMetadata().getUid().equals(r.getUid())).isPresent()) {
        // Ours already, only not yet in the cache.
        return new Update(existing, count);
      }
      count++;
    }
    throw new IllegalStateException("no free revision name for " + parent.getMetadata().getName()
        + " after " + MAX_COLLISIONS + " collisions");
  }

  /**
   * Deletes the oldest revisions beyond {@code limit}, never one named in {@code live} (in use
   * by pods, or the current and update revisions).
   */
  public void truncate(List<ControllerRevision> history, Set<String> live, int limit) {
    List<ControllerRevision> dead = new ArrayList<>();
    for (ControllerRevision r : history) {
      if (!live.contains(r.getMetadata().getName())) {
        dead.add(r);
      }
    }
    for (int i = 0; i < dead.size() - Math.max(0, limit); i++) {
      ControllerRevision r = dead.get(i);
      LOG.debugf("deleting old revision namespace=%s name=%s", r.getMetadata().getNamespace(), r.getMetadata().getName());
      client.apps().controllerRevisions().inNamespace(r.getMetadata().getNamespace())
          .withName(r.getMetadata().getName()).delete();
    }
  }

  private static long number(ControllerRevision r) {
    return r.getRevision() == null ? 0 : r.getRevision();
  }
}
