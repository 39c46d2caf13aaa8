package io.capstan.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/**
 * What the graph keeps of an object seen by an informer: identity, owner references and the
 * deletion state.
 *
 * @param id the object's identity
 * @param owners its ownerReferences (never null)
 * @param beingDeleted whether metadata.deletionTimestamp is set
 * @param finalizers its metadata.finalizers (never null)
 */
public record Observed(ObjectRef id, List<OwnerReference> owners, boolean beingDeleted, List<String> finalizers) {
  public Observed {
    owners = owners == null ? List.of() : List.copyOf(owners);
    finalizers = finalizers == null ? List.of() : List.copyOf(finalizers);
  }

  /** The observed state of {@code obj}, an object of {@code apiVersion} and {@code kind}. */
  public static Observed of(String apiVersion, String kind, HasMetadata obj) {
    ObjectMeta m = obj.getMetadata();
    return new Observed(new ObjectRef(apiVersion, kind, m.getNamespace(), m.getName(), m.getUid()),
        m.getOwnerReferences(), m.getDeletionTimestamp() != null, m.getFinalizers());
  }

  /** Being deleted in the foreground: the owner waits for its blocking dependents. */
  public boolean deletingDependents() {
    return beingDeleted && finalizers.contains(Finalizers.FOREGROUND);
  }

  /** Being deleted with the orphan finalizer: the dependents are to be released. */
  public boolean orphaning() {
    return beingDeleted && finalizers.contains(Finalizers.ORPHAN);
  }
}
