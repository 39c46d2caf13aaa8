package io.capstan.controllers.deployment;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finding and creating a Deployment's new ReplicaSet: the oldest one whose template equals the
 * Deployment's ignoring {@code pod-template-hash}; a created one is named {@code
 * <deployment>-<hash>} and carries the hash in its selector, its labels and its template labels.
 * A name taken by a ReplicaSet with another template is a hash collision: {@code
 * status.collisionCount} goes up and the next pass tries another name, as upstream.
 */
final class NewReplicaSets {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private NewReplicaSets() {}

  static Optional<ReplicaSet> find(Deployment d, List<ReplicaSet> sets) {
    return sets.stream()
        .sorted(Comparator.comparing((ReplicaSet rs) -> String.valueOf(rs.getMetadata().getCreationTimestamp()))
            .thenComparing(rs -> rs.getMetadata().getName()))
        .filter(rs -> PodTemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
        .findFirst();
  }

  /** Creates the new ReplicaSet of revision {@code revision}; null when the name collided (status changed). */
  static ReplicaSet create(Rollout r, long revision, int replicas) {
    Deployment d = r.d;
    Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    String hash = PodTemplateHash.of(d.getSpec().getTemplate(), collisions);
    PodTemplateSpec template = PodTemplateHash.withHash(d.getSpec().getTemplate(), hash);
    LabelSelector selector = SERIALIZATION.clone(d.getSpec().getSelector());
    Map<String, String> matchLabels = selector.getMatchLabels() == null
        ? new LinkedHashMap<>() : new LinkedHashMap<>(selector.getMatchLabels());
    matchLabels.put(PodTemplateHash.LABEL, hash);
    selector.setMatchLabels(matchLabels);
    Map<String, String> annotations = new LinkedHashMap<>();
    Revisions.setNewReplicaSetAnnotations(d, annotations, revision, false);
    ReplicaSet rs = new ReplicaSetBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(d.getMetadata().getName() + "-" + hash)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(new LinkedHashMap<>(template.getMetadata().getLabels()))
            .withAnnotations(annotations)
            .withOwnerReferences(OwnerReferences.controllerReference(d)).build())
        .withNewSpec().withReplicas(replicas).withMinReadySeconds(r.minReadySeconds())
        .withSelector(selector).withTemplate(template).endSpec()
        .build();
    try {
      return r.writes.create(r.key, rs);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    ReplicaSet live = r.writes.get(d.getMetadata().getNamespace(), rs.getMetadata().getName());
    if (live == null || ours(d, live)) {
      // Ours, and the cache has not shown it yet (or it is gone again): the next pass finds it.
      throw new IllegalStateException("replicaset " + rs.getMetadata().getName() + " exists but is not cached yet");
    }
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    status.setCollisionCount((collisions == null ? 0 : collisions) + 1);
    d.setStatus(status);
    r.writes.writeStatus(d, DeploymentStatuses.calculate(d, r.all(), null, r.now));
    return null;
  }

  private static boolean ours(Deployment d, ReplicaSet rs) {
    return OwnerReferences.controllerOf(rs).filter(ref -> d.getMetadata().getUid().equals(ref.getUid())).isPresent()
        && PodTemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate());
  }
}
