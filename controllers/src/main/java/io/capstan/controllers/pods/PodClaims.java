package io.capstan.controllers.pods;

import io.capstan.controllers.meta.LabelSelectors;
import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Claiming pods for an owner, as upstream's {@code PodControllerRefManager.ClaimPods}: keep the
 * owned pods that still match the selector, release owned pods that stopped matching, adopt
 * matching orphans (after re-reading the owner from the API: it must still exist, with the same
 * uid, and not be terminating, as upstream's RecheckDeletionTimestamp).
 */
public final class PodClaims {
  private static final PatchContext STRATEGIC = PatchContext.of(PatchType.STRATEGIC_MERGE);

  private final KubernetesClient client;

  public PodClaims(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The pods of {@code candidates} that {@code owner} owns after claiming. {@code fresh} reads the
   * owner from the API (null when gone). {@code adoptionFinalizer}, when not null, is added to
   * adopted pods (the Job controller's tracking finalizer).
   */
  public List<Pod> claim(HasMetadata owner, LabelSelector selector, List<Pod> candidates,
      Supplier<HasMetadata> fresh, String adoptionFinalizer) {
    String uid = owner.getMetadata().getUid();
    boolean deleting = owner.getMetadata().getDeletionTimestamp() != null;
    List<Pod> owned = new ArrayList<>();
    Boolean canAdopt = null;
    for (Pod pod : candidates) {
      boolean matches = LabelSelectors.matches(selector, pod.getMetadata().getLabels());
      Optional<OwnerReference> controller = OwnerReferences.controllerOf(pod);
      if (controller.isPresent()) {
        if (!uid.equals(controller.get().getUid())) {
          continue;
        }
        if (matches) {
          owned.add(pod);
        } else if (!deleting) {
          release(pod, uid);
        }
        continue;
      }
      if (!matches || deleting || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (canAdopt == null) {
        HasMetadata current = fresh.get();
        canAdopt = current != null && uid.equals(current.getMetadata().getUid())
            && current.getMetadata().getDeletionTimestamp() == null;
      }
      if (canAdopt) {
        Map<String, Object> patch = OwnerReferences.adoptPatch(OwnerReferences.controllerReference(owner), pod);
        if (adoptionFinalizer != null) {
          @SuppressWarnings("unchecked")
          Map<String, Object> meta = (Map<String, Object>) patch.get("metadata");
          meta.put("finalizers", List.of(adoptionFinalizer));
        }
        Pod adopted = patch(pod, patch);
        if (adopted != null) {
          owned.add(adopted);
        }
      }
    }
    return owned;
  }

  /** Drops the reference to the owner {@code ownerUid}; a pod gone or changed needs nothing. */
  private void release(Pod pod, String ownerUid) {
    try {
      patch(pod, OwnerReferences.releasePatch(ownerUid, pod.getMetadata().getUid()));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422) {
        throw e;
      }
    }
  }

  /** Applies a strategic merge patch to {@code pod}; the patched pod, or null when it is gone. */
  public Pod patch(Pod pod, Map<String, Object> patch) {
    try {
      return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .patch(STRATEGIC, client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }
}
