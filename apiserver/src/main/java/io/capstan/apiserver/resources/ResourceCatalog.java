package io.capstan.apiserver.resources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The resources this server serves, looked up by group-version and plural. Built-in types are
 * fixed; custom resource types come and go with their CustomResourceDefinitions ({@link
 * #replaceGroupResource}). Reads are thread-safe and see a consistent snapshot; listeners hear
 * about every change.
 */
public final class ResourceCatalog {
  private volatile Map<String, ResourceType> byPath;
  private final AtomicLong generation = new AtomicLong();
  private final List<Consumer<ResourceCatalog>> listeners = new CopyOnWriteArrayList<>();

  public ResourceCatalog(Collection<ResourceType> types) {
    Map<String, ResourceType> m = new LinkedHashMap<>();
    for (ResourceType t : types) {
      m.put(t.groupVersion() + "/" + t.plural(), t);
    }
    byPath = m;
  }

  /**
   * Replaces every served version of the custom resource {@code plural.group} by {@code types}
   * (empty to stop serving it). Built-in types cannot be replaced.
   */
  public synchronized void replaceGroupResource(String group, String plural, List<ResourceType> types) {
    Map<String, ResourceType> m = new LinkedHashMap<>(byPath);
    m.values().removeIf(t -> t.isCustom() && t.group().equals(group) && t.plural().equals(plural));
    for (ResourceType t : types) {
      String key = t.groupVersion() + "/" + t.plural();
      ResourceType existing = m.get(key);
      if (existing != null && !existing.isCustom()) {
        throw new IllegalArgumentException("cannot replace built-in resource " + key);
      }
      m.put(key, t);
    }
    byPath = m;
    generation.incrementAndGet();
    listeners.forEach(l -> l.accept(this));
  }

  /** Registers a listener called after every change of the served types. */
  public void onChange(Consumer<ResourceCatalog> listener) {
    listeners.add(listener);
  }

  /** Increases with every change; lets caches know they are stale. */
  public long generation() {
    return generation.get();
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
