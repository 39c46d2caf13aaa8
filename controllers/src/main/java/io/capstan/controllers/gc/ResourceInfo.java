package io.capstan.controllers.gc;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One discovered resource the collector watches and deletes.
 *
 * @param group "" for the core group
 * @param version the group's preferred version
 * @param kind e.g. {@code Pod}
 * @param plural e.g. {@code pods}
 * @param namespaced whether its objects live in namespaces
 */
public record ResourceInfo(String group, String version, String kind, String plural, boolean namespaced) {

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The Fabric8 context for generic operations on this resource. */
  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(namespaced).build();
  }

  /** The URL path of one object, or of the collection when {@code name} is null. */
  public String path(String namespace, String name) {
    StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespaced && namespace != null && !namespace.isEmpty()) {
      b.append("/namespaces/").append(namespace);
    }
    b.append('/').append(plural);
    if (name != null) {
      b.append('/').append(name);
    }
    return b.toString();
  }
}
