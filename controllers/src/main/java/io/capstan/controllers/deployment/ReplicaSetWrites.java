package io.capstan.controllers.deployment;

import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The Deployment controller's writes, and the memory of the ReplicaSet writes its cache has not
 * shown yet. ReplicaSet changes carry the resourceVersion they were computed from, so a change
 * based on a stale read is refused (409) and retried; and while the cache lags a write of this
 * controller, {@link #settled} says no, so a pass never counts replicas from before its own last
 * write. An entry the cache never confirms expires after {@link #TTL}.
 */
final class ReplicaSetWrites {
  static final Duration TTL = Duration.ofSeconds(30);
  private static final Logger LOG = Logger.getLogger(ReplicaSetWrites.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private record Written(String cacheKey, String resourceVersion, Instant expires) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<Request, List<Written>> pending = new ConcurrentHashMap<>();

  ReplicaSetWrites(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Whether the cache ({@code cached} by namespace/name) shows every ReplicaSet write for {@code key}. */
  boolean settled(Request key, Function<String, ReplicaSet> cached) {
    Instant now = clock.instant();
    List<Written> left = pending.computeIfPresent(key, (k, list) -> {
      List<Written> rest = list.stream().filter(w -> w.expires().isAfter(now) && !seen(w, cached.apply(w.cacheKey())))
          .toList();
      return rest.isEmpty() ? null : rest;
    });
    return left == null;
  }

  void forget(Request key) {
    pending.remove(key);
  }

  /** Sets {@code spec.replicas} and the replica annotations of {@code rs} for {@code d}. */
  ReplicaSet scale(Rollout r, ReplicaSet rs, int replicas) {
    int desired = Replicas.desired(r.d);
    int max = desired + Replicas.maxSurge(r.d);
    if (Replicas.spec(rs) == replicas && !Revisions.replicasAnnotationsNeedUpdate(rs, desired, max)) {
      return rs;
    }
    LOG.debugf("scaling replicaset=%s/%s from %d to %d", rs.getMetadata().getNamespace(), rs.getMetadata().getName(),
        Replicas.spec(rs), replicas);
    Map<String, String> annotations = new LinkedHashMap<>();
    Revisions.setReplicasAnnotations(annotations, desired, max);
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("resourceVersion", rs.getMetadata().getResourceVersion(), "annotations", annotations));
    patch.put("spec", Map.of("replicas", replicas));
    ReplicaSet updated = patch(r.key, rs, patch);
    r.replaced(rs, updated);
    return updated;
  }

  /** Merges {@code annotations} into those of {@code rs} and sets its minReadySeconds. */
  ReplicaSet annotate(Rollout r, ReplicaSet rs, Map<String, String> annotations, int minReadySeconds) {
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("resourceVersion", rs.getMetadata().getResourceVersion(), "annotations", annotations));
    patch.put("spec", Map.of("minReadySeconds", minReadySeconds));
    ReplicaSet updated = patch(r.key, rs, patch);
    r.replaced(rs, updated);
    return updated;
  }

  ReplicaSet create(Request key, ReplicaSet rs) {
    ReplicaSet created = client.apps().replicaSets().inNamespace(key.namespace()).resource(rs).create();
    remember(key, created);
    return created;
  }

  /** The ReplicaSet as the API has it now (not the cache), or null. */
  ReplicaSet get(String namespace, String name) {
    return client.apps().replicaSets().inNamespace(namespace).withName(name).get();
  }

  void delete(ReplicaSet rs) {
    LOG.debugf("deleting old replicaset=%s/%s", rs.getMetadata().getNamespace(), rs.getMetadata().getName());
    try {
      client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Sets the Deployment's revision annotation (a metadata patch: no new generation). */
  void setDeploymentRevision(Deployment d, String revision) {
    Map<String, Object> patch = Map.of("metadata", Map.of("annotations", Map.of(Revisions.REVISION, revision)));
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
        .patch(MERGE, client.getKubernetesSerialization().asJson(patch));
  }

  void writeStatus(Deployment d, DeploymentStatus status) {
    client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
        .subresource("status").patch(MERGE, client.getKubernetesSerialization().asJson(DeploymentStatuses.patch(status)));
  }

  private ReplicaSet patch(Request key, ReplicaSet rs, Map<String, Object> patch) {
    ReplicaSet updated = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName()).patch(MERGE, client.getKubernetesSerialization().asJson(patch));
    remember(key, updated);
    return updated;
  }

  private void remember(Request key, ReplicaSet written) {
    Written w = new Written(written.getMetadata().getNamespace() + "/" + written.getMetadata().getName(),
        written.getMetadata().getResourceVersion(), clock.instant().plus(TTL));
    pending.merge(key, List.of(w), (a, b) -> {
      List<Written> all = new ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    });
  }

  private static boolean seen(Written w, ReplicaSet cached) {
    if (cached == null) {
      return false;
    }
    String have = cached.getMetadata().getResourceVersion();
    try {
      return Long.parseLong(have) >= Long.parseLong(w.resourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return w.resourceVersion() != null && w.resourceVersion().equals(have);
    }
  }
}
