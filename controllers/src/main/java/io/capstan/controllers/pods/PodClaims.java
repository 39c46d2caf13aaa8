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

/**
 * Claiming pods for a controller, as upstream's {@code PodControllerRefManager.ClaimPods}: keep
 * the pods it controls that still match its selector, release those that no longer match, and
 * adopt matching orphans (after checking, against the API, that the owner is still current).
 */
public final class PodClaims {
  private static final PatchContext STRATEGIC = PatchContext.of(PatchType.STRATEGIC_MERGE);

  private final KubernetesClient client;

  public PodClaims(KubernetesClient client) {
    this.client = client;
  }

  /** The pods of {@code candidates} that {@code owner} controls after adopting and releasing. */
  public List<Pod> claim(HasMetadata owner, LabelSelector selector, List<Pod> candidates) {
    return claim(owner, selector, candidates, null);
  }

  /**
   * As {@link #claim(HasMetadata, LabelSelector, List)}; {@code adoptionFinalizer}, when not null,
   * is added to adopted pods (the Job controller's tracking finalizer).
   */
  public List<Pod> claim(HasMetadata owner, LabelSelector selector, List<Pod> candidates, String adoptionFinalizer) {
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
        canAdopt = stillCurrent(owner);
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

  /**
   * Whether {@code owner} may adopt: read from the API, not the cache, it is still the same
   * object and not being deleted (upstream's RecheckDeletionTimestamp).
   */
  private boolean stillCurrent(HasMetadata owner) {
    HasMetadata fresh = client.resources(owner.getClass()).inNamespace(owner.getMetadata().getNamespace())
        .withName(owner.getMetadata().getName()).get();
    return fresh != null && owner.getMetadata().getUid().equals(fresh.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }
}
