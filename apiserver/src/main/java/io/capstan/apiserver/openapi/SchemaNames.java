package io.capstan.apiserver.openapi;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps Fabric8 model classes to the schema names upstream Kubernetes uses (Go package + type). */
final class SchemaNames {
  private SchemaNames() {}

  static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String SCALE = "io.k8s.api.autoscaling.v1.Scale";
  static final String STATUS = META + "Status";
  static final String DELETE_OPTIONS = META + "DeleteOptions";
  static final String PATCH = META + "Patch";
  static final String LIST_META = META + "ListMeta";
  static final String OBJECT_META = META + "ObjectMeta";
  /** Upstream package of the apiextensions.k8s.io/v1 types (CustomResourceDefinition and its parts). */
  static final String APIEXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";
  /** apiextensions' schemaless "any JSON value" type, used for default, example and enum values. */
  static final String JSON = APIEXTENSIONS + "JSON";

  private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";

  /** Fabric8 packages whose upstream Go package has another name. Others map one to one. */
  private static final Map<String, String> PACKAGES = Map.of(
      "", "core.v1",
      "apps", "apps.v1");

  /** Types Fabric8 keeps in its core package that upstream defines in apimachinery's meta/v1. */
  private static final Set<String> META_TYPES = Set.of(
      "ObjectMeta", "ListMeta", "OwnerReference", "ManagedFieldsEntry", "FieldsV1", "LabelSelector",
      "LabelSelectorRequirement", "Condition", "MicroTime", "Time", "Status", "StatusDetails",
      "StatusCause", "DeleteOptions", "Preconditions", "Duration", "TypeMeta", "WatchEvent",
      "FieldSelectorRequirement", "APIResource", "APIResourceList", "APIGroup", "APIGroupList",
      "GroupVersionForDiscovery", "ServerAddressByClientCIDR", "Patch", "RootPaths");

  /** The upstream schema name of a Fabric8 model class, e.g. {@code io.k8s.api.core.v1.Pod}. */
  static String of(Class<?> model) {
    String pkg = model.getPackageName();
    String simple = model.getSimpleName();
    if (!pkg.equals(FABRIC8) && !pkg.startsWith(FABRIC8 + ".")) {
      throw new IllegalArgumentException("not a Fabric8 model class: " + model.getName());
    }
    if (pkg.equals(FABRIC8)) {
      if (simple.equals("Quantity")) {
        return QUANTITY;
      }
      if (simple.equals("IntOrString")) {
        return INT_OR_STRING;
      }
      if (simple.equals("RawExtension")) {
        return "io.k8s.apimachinery.pkg.runtime.RawExtension";
      }
      if (META_TYPES.contains(simple)) {
        return META + simple;
      }
    }
    String rest = pkg.length() == FABRIC8.length() ? "" : pkg.substring(FABRIC8.length() + 1);
    if (rest.equals("apiextensions.v1")) {
      return APIEXTENSIONS + simple;
    }
    return "io.k8s.api." + PACKAGES.getOrDefault(rest, rest) + "." + simple;
  }

  /**
   * The schema name upstream gives a custom resource kind: the group reversed, then version and
   * kind, e.g. {@code com.example.stable.v1.CronTab} for {@code stable.example.com/v1 CronTab}
   * (kube-openapi's {@code ToRESTFriendlyName} of "group/version/kind").
   */
  static String custom(String group, String version, String kind) {
    List<String> parts = Arrays.asList(group.split("\\."));
    Collections.reverse(parts);
    String reversed = String.join(".", parts);
    return (reversed.isEmpty() ? "" : reversed + ".") + version + "." + kind;
  }
}
