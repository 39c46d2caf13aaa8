package io.capstan.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * What a {@link Reconciler} is asked to converge: the key of one object of the controller's
 * primary kind. It carries no event and no object; the reconciler reads the current state itself.
 *
 * @param namespace the object's namespace; empty for cluster-scoped kinds, never null
 * @param name the object's name
 */
public record Request(String namespace, String name) {
  public Request {
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
  }

  /** The key of {@code object}. */
  public static Request of(HasMetadata object) {
    return new Request(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  /** The key of this object in a Fabric8 informer store: {@code namespace/name}, or {@code name}. */
  public String cacheKey() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  @Override
  public String toString() {
    return cacheKey();
  }
}
