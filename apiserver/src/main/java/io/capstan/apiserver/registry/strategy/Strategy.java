package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;

/**
 * The kind-specific rules of one resource, as kube-apiserver's RESTCreateStrategy and
 * RESTUpdateStrategy: what a create or update may set, the defaults, and validation. Stateless
 * and thread-safe; the generic registry calls it in this order:
 *
 * <ol>
 *   <li>create: {@link #prepareForCreate}, {@link #applyDefaults}, {@link #validate}
 *   <li>update: {@link #prepareForUpdate}, {@link #applyDefaults}, {@link #validateUpdate}
 *   <li>status update: {@link #applyDefaults}, {@link #validateStatusUpdate}
 * </ol>
 *
 * Metadata system fields (uid, timestamps, generation, resourceVersion) are the registry's job.
 */
public interface Strategy {

  /** Clears what a create may not set, e.g. status for kinds with a status subresource. */
  default void prepareForCreate(ObjectNode obj) {}

  /** Copies back what an update of the main resource may not change, e.g. status. */
  default void prepareForUpdate(ObjectNode obj, ObjectNode old) {}

  /** Fills unset fields with their defaults. Must be idempotent. */
  default void applyDefaults(ObjectNode obj) {}

  /** Field errors of a new object (metadata included). */
  List<FieldError> validate(ObjectNode obj);

  /** Field errors of an update; by default {@link #validate} of the new object. */
  default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return validate(obj);
  }

  /**
   * Field errors of an update through the status subresource, whose spec is the stored one (the
   * registry copies everything but the status from it); by default {@link #validateUpdate}.
   */
  default List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
    return validateUpdate(obj, old);
  }

  /** Whether a change between old and new counts as a spec change (bumps generation). */
  default boolean specChanged(ObjectNode obj, ObjectNode old) {
    return !java.util.Objects.equals(obj.get("spec"), old.get("spec"));
  }
}
