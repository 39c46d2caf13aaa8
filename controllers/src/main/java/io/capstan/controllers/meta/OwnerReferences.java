package io.capstan.controllers.meta;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Owner references: finding an object's controller, building the reference a controller puts on
 * what it creates, and the strategic merge patches that adopt and release an object.
 */
public final class OwnerReferences {
  private OwnerReferences() {}

  /** The reference with {@code controller: true}, if any (the API allows at most one). */
  public static Optional<OwnerReference> controllerOf(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  /** Whether {@code ref} points to an object of {@code group} (empty for core) and {@code kind}. */
  public static boolean refersTo(OwnerReference ref, String group, String kind) {
    return kind.equals(ref.getKind()) && group.equals(groupOf(ref.getApiVersion()));
  }

  /** The group of an apiVersion: {@code apps} for {@code apps/v1}, empty for {@code v1}. */
  public static String groupOf(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The controller reference to {@code owner} that a controller puts on the objects it creates. */
  public static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * The strategic merge patch that adds {@code ref} to {@code object} as it was read. The list
   * merges by uid, so other owners stay. The uid in the patch makes the API refuse it (409) when
   * the name now belongs to another object, as upstream's controller ref manager does; the
   * resourceVersion makes it refuse a stale read, so two controllers that both saw an orphan
   * cannot both become its controller.
   */
  public static Map<String, Object> adoptPatch(OwnerReference ref, HasMetadata object) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("apiVersion", ref.getApiVersion());
    entry.put("kind", ref.getKind());
    entry.put("name", ref.getName());
    entry.put("uid", ref.getUid());
    entry.put("controller", true);
    entry.put("blockOwnerDeletion", true);
    return metadataPatch(entry, object.getMetadata().getUid(), object.getMetadata().getResourceVersion());
  }

  /** The strategic merge patch that removes the reference to {@code ownerUid} from {@code uid}. */
  public static Map<String, Object> releasePatch(String ownerUid, String uid) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("$patch", "delete");
    entry.put("uid", ownerUid);
    return metadataPatch(entry, uid, null);
  }

  private static Map<String, Object> metadataPatch(Map<String, Object> ref, String uid, String resourceVersion) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("ownerReferences", List.of(ref));
    meta.put("uid", uid);
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      meta.put("resourceVersion", resourceVersion);
    }
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", meta);
    return patch;
  }
}
