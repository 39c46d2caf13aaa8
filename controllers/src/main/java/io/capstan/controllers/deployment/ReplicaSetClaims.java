package io.capstan.controllers.deployment;

import io.capstan.controllers.meta.LabelSelectors;
import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which ReplicaSets a Deployment owns, as upstream's {@code ClaimReplicaSets}: those it controls
 * and its selector still matches; orphans its selector matches are adopted (when the Deployment,
 * read from the API, is still the same and not being deleted); controlled ones that stopped
 * matching are released.
 */
final class ReplicaSetClaims {
  private static final PatchContext STRATEGIC = PatchContext.of(PatchType.STRATEGIC_MERGE);

  private final KubernetesClient client;

  ReplicaSetClaims(KubernetesClient client) {
    this.client = client;
  }

  List<ReplicaSet> claim(Deployment d, List<ReplicaSet> candidates) {
    String uid = d.getMetadata().getUid();
    boolean deleting = d.getMetadata().getDeletionTimestamp() != null;
    List<ReplicaSet> owned = new ArrayList<>();
    Boolean canAdopt = null;
    for (ReplicaSet rs : candidates) {
      boolean matches = LabelSelectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels());
      Optional<OwnerReference> controller = OwnerReferences.controllerOf(rs);
      if (controller.isPresent()) {
        if (!uid.equals(controller.get().getUid())) {
          continue;
        }
        if (matches) {
          owned.add(rs);
        } else if (!deleting) {
          patch(rs, OwnerReferences.releasePatch(uid, rs.getMetadata().getUid()));
        }
        continue;
      }
      if (!matches || deleting || rs.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (canAdopt == null) {
        canAdopt = stillCurrent(d);
      }
      if (canAdopt) {
        ReplicaSet adopted = patch(rs, OwnerReferences.adoptPatch(OwnerReferences.controllerReference(d), rs));
        if (adopted != null) {
          owned.add(adopted);
        }
      }
    }
    return owned;
  }

  private ReplicaSet patch(ReplicaSet rs, Map<String, Object> patch) {
    try {
      return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
          .patch(STRATEGIC, client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 422) {
        return null;
      }
      throw e;
    }
  }

  private boolean stillCurrent(Deployment d) {
    Deployment fresh = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName()).get();
    return fresh != null && d.getMetadata().getUid().equals(fresh.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }
}
