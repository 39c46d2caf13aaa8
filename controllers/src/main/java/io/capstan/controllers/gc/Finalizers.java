package io.capstan.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** The two finalizers of cascading deletion, as the API server sets them on delete. */
final class Finalizers {
  /** Set by a Foreground delete: the owner stays until its blocking dependents are gone. */
  static final String FOREGROUND = "foregroundDeletion";
  /** Set by an Orphan delete: the owner stays until its dependents no longer refer to it. */
  static final String ORPHAN = "orphan";

  private Finalizers() {}

  static boolean has(HasMetadata obj, String finalizer) {
    List<String> f = obj.getMetadata().getFinalizers();
    return f != null && f.contains(finalizer);
  }

  static boolean deletingDependents(HasMetadata obj) {
    return obj.getMetadata().getDeletionTimestamp() != null && has(obj, FOREGROUND);
  }
}
