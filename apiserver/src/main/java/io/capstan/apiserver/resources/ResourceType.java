package io.capstan.apiserver.resources;

import java.util.List;
import java.util.Set;

/**
 * Everything the API server knows about one resource: its names, scope, verbs and subresources,
 * where it is stored, and the Fabric8 model class that describes its schema.
 *
 * @param group API group, "" for the core group
 * @param version API version, e.g. "v1"
 * @param kind the kind, e.g. "Deployment"
 * @param plural the resource name in URLs, e.g. "deployments"
 * @param singular the singular name, e.g. "deployment"
 * @param namespaced whether objects live in a namespace
 * @param shortNames short names kubectl accepts, e.g. "deploy"
 * @param categories categories such as "all"
 * @param subresources names of subresources (status, scale, binding, ...)
 * @param storagePrefix the key prefix under {@code /registry/}, e.g. "services/specs"
 * @param model the Fabric8 model class (schema source for OpenAPI), or null
 * @param tracksGeneration whether metadata.generation is kept and bumped on spec changes
 * @param custom the custom-resource part, or null for built-in kinds
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    Set<String> subresources,
    String storagePrefix,
    Class<?> model,
    boolean tracksGeneration,
    CustomResource custom) {

  /** A built-in resource type. */
  public ResourceType(String group, String version, String kind, String plural, String singular, boolean namespaced,
      List<String> shortNames, List<String> categories, Set<String> subresources, String storagePrefix,
      Class<?> model, boolean tracksGeneration) {
    this(group, version, kind, plural, singular, namespaced, shortNames, categories, subresources, storagePrefix,
        model, tracksGeneration, null);
  }

  /** Kinds that are only ever created, answered at once and never stored (access reviews). */
  private static final Set<String> CREATE_ONLY = Set.of("SelfSubjectAccessReview");

  /** Whether objects of this type are answered at once and never stored (POST only). */
  public boolean isCreateOnly() {
    return custom == null && CREATE_ONLY.contains(kind);
  }

  /** The verbs this resource supports. */
  public List<String> verbs() {
    return isCreateOnly() ? List.of("create") : VERBS;
  }

  /** Whether this type is served from a CustomResourceDefinition. */
  public boolean isCustom() {
    return custom != null;
  }

  /** The verbs every built-in resource supports. */
  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** "v1" for the core group, otherwise "group/version". */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "v1" for the core group, otherwise "group/version"; same as {@link #apiVersion()}. */
  public String groupVersion() {
    return apiVersion();
  }

  /** The list kind, e.g. "DeploymentList". */
  public String listKind() {
    return kind + "List";
  }

  /** URL prefix of this group-version: "/api/v1" or "/apis/apps/v1". */
  public String pathPrefix() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** Whether {@code name} is one of this resource's subresources. */
  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }

  /** Storage key of one object: {@code /registry/<prefix>/<ns>/<name>} or without the namespace. */
  public String key(String namespace, String name) {
    return namespaced ? "/registry/" + storagePrefix + "/" + namespace + "/" + name
        : "/registry/" + storagePrefix + "/" + name;
  }

  /** Storage prefix of a list: all namespaces when {@code namespace} is null or empty. */
  public String listPrefix(String namespace) {
    if (namespaced && namespace != null && !namespace.isEmpty()) {
      return "/registry/" + storagePrefix + "/" + namespace + "/";
    }
    return "/registry/" + storagePrefix + "/";
  }

  /** "deployments.apps" or "pods": the name used in messages such as 'pods "x" not found'. */
  public String qualifiedResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }
}
