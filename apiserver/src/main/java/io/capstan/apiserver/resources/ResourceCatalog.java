package io.capstan.apiserver.resources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resources this server serves, looked up by group-version and plural. Thread-safe for reads;
 * the built-in set is fixed at construction.
 */
public final class ResourceCatalog {
  private final Map<String, ResourceType> byPath = new LinkedHashMap<>();

  public ResourceCatalog(Collection<ResourceType> types) {
    for (ResourceType t : types) {
      byPath.put(t.groupVersion() + "/" + t.plural(), t);
    }
  }

  /** The catalog of built-in Kubernetes kinds. */
  public static ResourceCatalog builtin() {
    return new ResourceCatalog(BuiltinResources.all());
  }

  public Optional<ResourceType> find(String group, String version, String plural) {
    String gv = group.isEmpty() ? version : group + "/" + version;
    return Optional.ofNullable(byPath.get(gv + "/" + plural));
  }

  public Optional<ResourceType> findByKind(String apiVersion, String kind) {
    return byPath.values().stream()
        .filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind))
        .findFirst();
  }

  /** All resource types in catalog order. */
  public List<ResourceType> all() {
    return List.copyOf(byPath.values());
  }

  /** Group-versions in catalog order, core ("v1") first. */
  public List<String> groupVersions() {
    List<String> out = new ArrayList<>();
    for (ResourceType t : byPath.values()) {
      if (!out.contains(t.groupVersion())) {
        out.add(t.groupVersion());
      }
    }
    return out;
  }

  /** Whether any resource is served in {@code group}/{@code version}. */
  public boolean servesGroupVersion(String group, String version) {
    return byPath.values().stream().anyMatch(t -> t.group().equals(group) && t.version().equals(version));
  }

  /** Resource types of one group-version. */
  public List<ResourceType> inGroupVersion(String group, String version) {
    return byPath.values().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
  }

  /** Namespaced resource types (the namespace lifecycle deletes these). */
  public List<ResourceType> namespaced() {
    return byPath.values().stream().filter(ResourceType::namespaced).toList();
  }
}
