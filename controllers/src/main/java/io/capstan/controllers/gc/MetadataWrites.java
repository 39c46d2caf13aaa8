package io.capstan.controllers.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The collector's metadata changes, each a read of the live object and a merge patch with its
 * resourceVersion as precondition, repeated on conflict: dropping owner references, making them
 * non-blocking, and removing a finalizer.
 */
final class MetadataWrites {
  private static final int ATTEMPTS = 8;
  private final ApiCalls api;

  MetadataWrites(ApiCalls api) {
    this.api = api;
  }

  /** Removes the references to {@code ownerUids} from {@code id}; false when it is gone. */
  boolean dropOwners(ResourceInfo res, ObjectRef id, Collection<String> ownerUids) {
    return change(res, id, obj -> {
      List<OwnerReference> refs = refs(obj);
      List<OwnerReference> kept = new ArrayList<>(refs);
      kept.removeIf(r -> ownerUids.contains(r.getUid()));
      return kept.size() == refs.size() ? null : ownerReferencesPatch(kept);
    });
  }

  /** Sets blockOwnerDeletion to false on every reference of {@code id} that blocks. */
  boolean unblockOwners(ResourceInfo res, ObjectRef id) {
    return change(res, id, obj -> {
      List<OwnerReference> refs = refs(obj);
      if (refs.stream().noneMatch(r -> Boolean.TRUE.equals(r.getBlockOwnerDeletion()))) {
        return null;
      }
      List<OwnerReference> out = new ArrayList<>();
      refs.forEach(r -> out.add(new OwnerReferenceBuilder(r)
          .withBlockOwnerDeletion(Boolean.TRUE.equals(r.getBlockOwnerDeletion()) ? false : r.getBlockOwnerDeletion())
          .build()));
      return ownerReferencesPatch(out);
    });
  }

  /** Removes {@code finalizer} from {@code id}; false when it is gone. */
  boolean removeFinalizer(ResourceInfo res, ObjectRef id, String finalizer) {
    return change(res, id, obj -> {
      List<String> f = obj.getMetadata().getFinalizers();
      if (f == null || !f.contains(finalizer)) {
        return null;
      }
      List<String> kept = new ArrayList<>(f);
      kept.removeIf(finalizer::equals);
      Map<String, Object> meta = new HashMap<>();
      meta.put("finalizers", kept.isEmpty() ? null : kept);
      return meta;
    });
  }

  /**
   * Applies {@code patchOf} (the metadata merge patch for the live object, or null for nothing
   * to do) until it sticks; false when the object (with that uid) is gone.
   */
  private boolean change(ResourceInfo res, ObjectRef id, Function<GenericKubernetesResource, Map<String, Object>> patchOf) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      GenericKubernetesResource live = api.get(res, id.namespace(), id.name());
      if (live == null || !id.uid().equals(live.getMetadata().getUid())) {
        return false;
      }
      Map<String, Object> patch = patchOf.apply(live);
      if (patch == null) {
        return true;
      }
      switch (api.patchMetadata(res, id.namespace(), id.name(), live.getMetadata().getResourceVersion(), patch)) {
        case OK:
          return true;
        case NOT_FOUND:
          return false;
        default:
          break;
      }
    }
    throw new IllegalStateException("too many conflicts changing " + id);
  }

  private static List<OwnerReference> refs(GenericKubernetesResource obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs;
  }

  private static Map<String, Object> ownerReferencesPatch(List<OwnerReference> refs) {
    Map<String, Object> meta = new HashMap<>();
    meta.put("ownerReferences", refs.isEmpty() ? null : refs);
    return meta;
  }
}
