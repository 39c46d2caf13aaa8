package io.capstan.controllers.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sorts a dependent's owner references by a live read of each owner, never by the caches alone:
 * <em>solid</em> (the owner exists with that uid), <em>waiting</em> (it exists and is deleting
 * its dependents in the foreground) and <em>dangling</em> (absent, or the name now belongs to an
 * object with another uid). A namespaced owner is looked up in the dependent's namespace, so a
 * reference across namespaces is dangling. Owners found absent are remembered (uids are never
 * reused), which spares the reads for the siblings of a deleted owner.
 */
final class OwnerChecks {
  private static final int ABSENT_CACHE_SIZE = 4096;

  /** The sorted references. */
  record Classified(List<OwnerReference> solid, List<OwnerReference> waiting, List<OwnerReference> dangling) {}

  /** A reference that can never be resolved: a cluster-scoped dependent naming a namespaced owner. */
  static final class InvalidReference extends Exception {
    InvalidReference(String message) {
      super(message, null, false, false);
    }
  }

  private final ResourceDiscovery discovery;
  private final ApiCalls api;
  private final Set<String> absent = Collections.synchronizedSet(Collections.newSetFromMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > ABSENT_CACHE_SIZE;
        }
      }));

  OwnerChecks(ResourceDiscovery discovery, ApiCalls api) {
    this.discovery = discovery;
    this.api = api;
  }

  /**
   * Sorts {@code refs} of {@code dependent}.
   *
   * @throws InvalidReference for a namespaced owner of a cluster-scoped dependent
   * @throws IllegalStateException when an owner's kind is not served (retried later)
   */
  Classified classify(ObjectRef dependent, List<OwnerReference> refs) throws InvalidReference {
    List<OwnerReference> solid = new ArrayList<>();
    List<OwnerReference> waiting = new ArrayList<>();
    List<OwnerReference> dangling = new ArrayList<>();
    for (OwnerReference ref : refs) {
      ResourceInfo res = discovery.resolve(ref.getApiVersion(), ref.getKind()).orElseThrow(() ->
          new IllegalStateException("owner kind " + ref.getKind() + " of " + ref.getApiVersion() + " is not served"));
      if (res.namespaced() && dependent.namespace().isEmpty()) {
        throw new InvalidReference(dependent + " is cluster-scoped but names a namespaced owner "
            + ref.getKind() + " " + ref.getName());
      }
      String ns = res.namespaced() ? dependent.namespace() : "";
      Optional<GenericKubernetesResource> owner = lookup(res, ns, ref);
      if (owner.isEmpty()) {
        dangling.add(ref);
      } else if (Finalizers.deletingDependents(owner.get())) {
        waiting.add(ref);
      } else {
        solid.add(ref);
      }
    }
    return new Classified(solid, waiting, dangling);
  }

  /** Remembers that the owner {@code uid} is absent from {@code namespace}. */
  void rememberAbsent(String uid, String namespace) {
    absent.add(uid + "|" + namespace);
  }

  private Optional<GenericKubernetesResource> lookup(ResourceInfo res, String ns, OwnerReference ref) {
    if (absent.contains(ref.getUid() + "|" + ns)) {
      return Optional.empty();
    }
    GenericKubernetesResource owner = api.get(res, ns, ref.getName());
    if (owner == null || !ref.getUid().equals(owner.getMetadata().getUid())) {
      rememberAbsent(ref.getUid(), ns);
      return Optional.empty();
    }
    return Optional.of(owner);
  }
}
