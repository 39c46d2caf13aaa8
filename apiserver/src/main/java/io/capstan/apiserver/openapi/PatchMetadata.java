package io.capstan.apiserver.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Strategic-merge-patch and list-type metadata of the served kinds: the Kubernetes {@code
 * patchMergeKey}/{@code patchStrategy} tags and {@code listType}/{@code listMapKey} markers, keyed
 * by upstream schema name and JSON field name. The OpenAPI documents publish exactly this table
 * (as {@code x-kubernetes-patch-merge-key}, {@code x-kubernetes-patch-strategy}, {@code
 * x-kubernetes-list-type} and {@code x-kubernetes-list-map-keys}); the server's strategic merge
 * patch should read it too, so that kubectl and the server merge lists the same way.
 *
 * <p>Lists not in the table have no merge key: a strategic merge patch replaces them whole.
 */
public final class PatchMetadata {
  private PatchMetadata() {}

  /**
   * Metadata of one field.
   *
   * @param mergeKey the merge key of a list of objects, or null
   * @param strategy "merge", "retainKeys" or "merge,retainKeys", or null (replace)
   * @param listType "map", "set" or "atomic", or null when unspecified
   * @param mapKeys the keys that identify an item of a {@code map} list (empty otherwise)
   */
  public record Field(String mergeKey, String strategy, String listType, List<String> mapKeys) {
    /** Whether a strategic merge patch merges this list (rather than replacing it). */
    public boolean merges() {
      return strategy != null && strategy.contains("merge");
    }

    /** Whether the field's strategy includes {@code retainKeys}. */
    public boolean retainsKeys() {
      return strategy != null && strategy.contains("retainKeys");
    }
  }

  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String APPS = "io.k8s.api.apps.v1.";
  private static final String BATCH = "io.k8s.api.batch.v1.";
  private static final String META = SchemaNames.META;

  private static final Map<String, Field> TABLE = new LinkedHashMap<>();

  static {
    // meta/v1
    merge(META + "ObjectMeta", "ownerReferences", "uid");
    put(META + "ObjectMeta", "finalizers", new Field(null, "merge", "set", List.of()));

    // core/v1 PodSpec and containers
    for (String list : List.of("containers", "initContainers", "ephemeralContainers", "imagePullSecrets",
        "schedulingGates", "evictionResponders")) {
      merge(CORE + "PodSpec", list, "name");
    }
    put(CORE + "PodSpec", "volumes", new Field("name", "merge,retainKeys", "map", List.of("name")));
    put(CORE + "PodSpec", "resourceClaims", new Field("name", "merge,retainKeys", "map", List.of("name")));
    merge(CORE + "PodSpec", "hostAliases", "ip");
    put(CORE + "PodSpec", "topologySpreadConstraints",
        new Field("topologyKey", "merge", "map", List.of("topologyKey", "whenUnsatisfiable")));
    for (String container : List.of("Container", "EphemeralContainer")) {
      put(CORE + container, "ports",
          new Field("containerPort", "merge", "map", List.of("containerPort", "protocol")));
      merge(CORE + container, "env", "name");
      merge(CORE + container, "volumeMounts", "mountPath");
      merge(CORE + container, "volumeDevices", "devicePath");
    }
    put(CORE + "ResourceRequirements", "claims", new Field(null, null, "map", List.of("name")));
    put(CORE + "ContainerRestartRuleOnExitCodes", "values", set());

    // core/v1 PodStatus
    merge(CORE + "PodStatus", "conditions", "type");
    merge(CORE + "PodStatus", "podIPs", "ip");
    put(CORE + "PodStatus", "hostIPs", new Field("ip", "merge", "atomic", List.of()));
    put(CORE + "PodStatus", "resourceClaimStatuses",
        new Field("name", "merge,retainKeys", "map", List.of("name")));
    merge(CORE + "PodStatus", "nodeAllocatableResourceClaimStatuses", "resourceClaimName");
    put(CORE + "PodStatus", "volumeHealth", new Field(null, null, "map", List.of("name")));
    merge(CORE + "ContainerStatus", "volumeMounts", "mountPath");
    merge(CORE + "ContainerStatus", "allocatedResourcesStatus", "name");
    put(CORE + "ResourceStatus", "resources", new Field(null, null, "map", List.of("resourceID")));
    for (String health : List.of("PodVolumeHealth", "VolumeHealthStatus")) {
      put(CORE + health, "healthConditions", new Field("status", "merge", "map", List.of("status", "reason")));
    }
    put(CORE + "NodeAllocatableResourceClaimStatus", "containers", set());
    merge(CORE + "NodeAllocatableResourceClaimStatus", "mapping", "name");
    merge(CORE + "NodeAllocatableResourceClaimStatus", "overhead", "name");

    // core/v1 other kinds
    put(CORE + "ServiceSpec", "ports", new Field("port", "merge", "map", List.of("port", "protocol")));
    merge(CORE + "ServiceStatus", "conditions", "type");
    merge(CORE + "ServiceAccount", "secrets", "name");
    put(CORE + "NodeSpec", "podCIDRs", new Field(null, "merge", "set", List.of()));
    put(CORE + "NodePodPreemptionPolicy", "disableResizePreemption", set());
    merge(CORE + "NodeStatus", "conditions", "type");
    merge(CORE + "NodeStatus", "addresses", "type");
    merge(CORE + "NamespaceStatus", "conditions", "type");
    merge(CORE + "PersistentVolumeClaimStatus", "conditions", "type");

    // apps/v1
    put(APPS + "DeploymentSpec", "strategy", new Field(null, "retainKeys", null, List.of()));
    for (String status : List.of("DeploymentStatus", "ReplicaSetStatus", "StatefulSetStatus", "DaemonSetStatus")) {
      merge(APPS + status, "conditions", "type");
    }

    // batch/v1
    put(BATCH + "JobStatus", "conditions", new Field("type", "merge", "atomic", List.of()));
    put(BATCH + "UncountedTerminatedPods", "succeeded", set());
    put(BATCH + "UncountedTerminatedPods", "failed", set());
    put(BATCH + "PodFailurePolicyOnExitCodesRequirement", "values", set());
    merge(BATCH + "JobSchedulingConfiguration", "resourceClaims", "name");

    // discovery/v1
    put("io.k8s.api.discovery.v1.Endpoint", "addresses", set());

    // apiextensions/v1
    put(SchemaNames.APIEXTENSIONS + "CustomResourceDefinitionStatus", "conditions",
        new Field(null, null, "map", List.of("type")));
  }

  /** Metadata of {@code field} in the schema named {@code schemaName}, if it has any. */
  public static Optional<Field> lookup(String schemaName, String field) {
    return Optional.ofNullable(TABLE.get(schemaName + "#" + field));
  }

  /** Metadata of {@code field} in the schema of a Fabric8 model class, if it has any. */
  public static Optional<Field> lookup(Class<?> model, String field) {
    return lookup(SchemaNames.of(model), field);
  }

  /** The whole table, keyed {@code "<schema name>#<field>"}. */
  public static Map<String, Field> all() {
    return Map.copyOf(TABLE);
  }

  private static void merge(String schema, String field, String key) {
    put(schema, field, new Field(key, "merge", "map", List.of(key)));
  }

  private static Field set() {
    return new Field(null, null, "set", List.of());
  }

  private static void put(String schema, String field, Field meta) {
    TABLE.put(schema + "#" + field, meta);
  }
}
