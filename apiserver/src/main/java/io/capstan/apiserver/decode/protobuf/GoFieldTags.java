package io.capstan.apiserver.decode.protobuf;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the Go struct tags of Kubernetes v1.32's API types say about each protobuf field, which the
 * protobuf descriptors cannot tell: Go's protobuf encoder writes every non-pointer field, zero or
 * not, while its JSON encoder leaves out zero {@code omitempty} fields and keeps set pointers.
 *
 * <p>Generated from the {@code types.go} files of {@code k8s.io/api} and {@code
 * k8s.io/apimachinery} v0.32.4, for the messages reachable from the kinds of {@link ProtoKinds}.
 * One line a message (its full name without {@code k8s.io.api.} or {@code
 * k8s.io.apimachinery.pkg.apis.}), then lists of field numbers:
 * <ul>
 *   <li>{@code o}: scalar fields that are neither pointers nor required (a non-pointer Go field
 *       tagged {@code omitempty}): a zero value ({@code ""}, 0, false) is left out of the JSON;
 *   <li>{@code k}: scalar fields that are pointers or required: a zero value is kept;
 *   <li>{@code i}: embedded structs ({@code json:",inline"}): their fields belong to the parent;
 *   <li>{@code n}: fields whose JSON name differs from the protobuf name ({@code number:name}).
 * </ul>
 * A field absent from the table (one the jar has and v1.32 has not) is {@link Presence#UNKNOWN}.
 */
final class GoFieldTags {
  /** What to do with the zero value of a scalar field. */
  enum Presence { OMIT_ZERO, KEEP_ZERO, UNKNOWN }

  private record Tags(Set<Integer> omit, Set<Integer> keep, Set<Integer> inline, Map<Integer, String> names) {}

  private static final Tags NONE = new Tags(Set.of(), Set.of(), Set.of(), Map.of());
  private static final Map<String, Tags> TABLE = parse("""
      apps.v1.DaemonSetCondition o4,5 k1,2
      apps.v1.DaemonSetSpec o4 k6
      apps.v1.DaemonSetStatus o5,6,7,8 k1,2,3,4,9
      apps.v1.DeploymentCondition o4,5 k1,2
      apps.v1.DeploymentSpec o5,7 k1,6,9
      apps.v1.DeploymentStatus o1,2,3,4,5,7 k8
      apps.v1.DeploymentStrategy o1
      apps.v1.ReplicaSetCondition o4,5 k1,2
      apps.v1.ReplicaSetSpec o4 k1
      apps.v1.ReplicaSetStatus o2,3,4,5 k1
      apps.v1.RollingUpdateStatefulSetStrategy k1,2
      apps.v1.StatefulSetCondition o4,5 k1,2
      apps.v1.StatefulSetOrdinals k1
      apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy o1,2
      apps.v1.StatefulSetSpec o6,9 k1,5,8
      apps.v1.StatefulSetStatus o1,3,4,5,6,7 k2,9,11
      apps.v1.StatefulSetUpdateStrategy o1
      authentication.v1.BoundObjectReference o1,2,3,4 n4:uid
      authentication.v1.TokenRequestSpec k4
      authentication.v1.TokenRequestStatus k1
      authentication.v1.UserInfo o1,2
      authorization.v1.FieldSelectorAttributes o1
      authorization.v1.LabelSelectorAttributes o1
      authorization.v1.NonResourceAttributes o1,2
      authorization.v1.ResourceAttributes o1,2,3,4,5,6,7
      authorization.v1.SelfSubjectRulesReviewSpec o1
      authorization.v1.SubjectAccessReviewStatus o2,3,4 k1
      authorization.v1.SubjectRulesReviewStatus o4
      autoscaling.v1.ScaleSpec o1
      autoscaling.v1.ScaleStatus o2 k1
      batch.v1.CronJobSpec o3 k1,2,4,6,7,8
      batch.v1.JobCondition o5,6 k1,2
      batch.v1.JobSpec k1,2,3,5,7,8,9,10,12,13,14,15
      batch.v1.JobStatus o4,5,6,7 k9,10,11
      batch.v1.PodFailurePolicyOnExitCodesRequirement k1
      batch.v1.SuccessPolicyRule k1,2
      coordination.v1.LeaseSpec k1,2,5,7
      core.v1.AWSElasticBlockStoreVolumeSource o2,3,4 k1
      core.v1.AppArmorProfile k1,2
      core.v1.AzureDiskVolumeSource k1,2,3,4,5,6
      core.v1.AzureFilePersistentVolumeSource o3 k1,2,4
      core.v1.AzureFileVolumeSource o3 k1,2
      core.v1.CSIPersistentVolumeSource o3,4 k1,2
      core.v1.CSIVolumeSource k1,2,3
      core.v1.CephFSPersistentVolumeSource o2,3,4,6
      core.v1.CephFSVolumeSource o2,3,4,6
      core.v1.CinderPersistentVolumeSource o2,3 k1
      core.v1.CinderVolumeSource o2,3 k1
      core.v1.ClientIPConfig k1
      core.v1.ClusterTrustBundleProjection k5
      core.v1.ConfigMap k4
      core.v1.ConfigMapEnvSource k2 i1
      core.v1.ConfigMapKeySelector k2,3 i1
      core.v1.ConfigMapNodeConfigSource o4 k1,2,5
      core.v1.ConfigMapProjection k4 i1
      core.v1.ConfigMapVolumeSource k3,4 i1
      core.v1.Container o2,5,13,14,16,17,18,20 k1,24
      core.v1.ContainerImage o2
      core.v1.ContainerPort o1,2,4,5 k3
      core.v1.ContainerResizePolicy k1,2
      core.v1.ContainerStateTerminated o2,3,4,7 k1
      core.v1.ContainerStateWaiting o1,2
      core.v1.ContainerStatus o8 k1,4,5,6,7,9,13
      core.v1.ContainerUser k1
      core.v1.DaemonEndpoint k1
      core.v1.DownwardAPIVolumeFile k1,4
      core.v1.DownwardAPIVolumeSource k2
      core.v1.EmptyDirVolumeSource o1
      core.v1.EndpointAddress o3 k1,4
      core.v1.EndpointPort o1,3 k2,4
      core.v1.EnvFromSource o1
      core.v1.EnvVar o2 k1
      core.v1.EphemeralContainer o2 i1
      core.v1.EphemeralContainerCommon o2,5,13,14,16,17,18,20 k1,24
      core.v1.Event o3,4,8,9,12 k14,15
      core.v1.EventSeries o1
      core.v1.EventSource o1,2
      core.v1.FCVolumeSource o3,4 k2
      core.v1.FlexPersistentVolumeSource o2,4 k1
      core.v1.FlexVolumeSource o2,4 k1
      core.v1.FlockerVolumeSource o1,2
      core.v1.GCEPersistentDiskVolumeSource o2,3,4 k1
      core.v1.GRPCAction k2
      core.v1.GitRepoVolumeSource o2,3 k1
      core.v1.GlusterfsPersistentVolumeSource o3 k1,2,4
      core.v1.GlusterfsVolumeSource o3 k1,2
      core.v1.HTTPGetAction o1,3,4
      core.v1.HTTPHeader k1,2
      core.v1.HostAlias k1
      core.v1.HostIP k1
      core.v1.HostPathVolumeSource k1
      core.v1.ISCSIPersistentVolumeSource o4,5,6,8,11 k1,2,3,12
      core.v1.ISCSIVolumeSource o4,5,6,8,11 k1,2,3,12
      core.v1.ImageVolumeSource o1,2
      core.v1.KeyToPath k1,2,3
      core.v1.LinuxContainerUser k1,2
      core.v1.LoadBalancerIngress o1,2
      core.v1.LocalObjectReference o1
      core.v1.LocalVolumeSource k1,2
      core.v1.ModifyVolumeStatus o1 k2
      core.v1.NFSVolumeSource o3 k1,2
      core.v1.NamespaceCondition o5,6 k1,2
      core.v1.NamespaceStatus o1
      core.v1.NodeAddress k1,2
      core.v1.NodeCondition o5,6 k1,2
      core.v1.NodeConfigStatus o4
      core.v1.NodeFeatures k1
      core.v1.NodeRuntimeHandler k1
      core.v1.NodeRuntimeHandlerFeatures k1,2
      core.v1.NodeSelectorRequirement k1,2
      core.v1.NodeSpec o1,2,3,4
      core.v1.NodeStatus o3
      core.v1.NodeSystemInfo k1,2,3,4,5,6,7,8,9,10
      core.v1.ObjectFieldSelector o1 k2
      core.v1.ObjectReference o1,2,3,4,5,6,7
      core.v1.PersistentVolumeClaimCondition o5,6 k1,2
      core.v1.PersistentVolumeClaimSpec o3 k5,6,9
      core.v1.PersistentVolumeClaimStatus o1 k8
      core.v1.PersistentVolumeClaimVolumeSource o2 k1
      core.v1.PersistentVolumeSpec o5,6 k8,10 i2
      core.v1.PersistentVolumeStatus o1,2,3
      core.v1.PhotonPersistentDiskVolumeSource o2 k1
      core.v1.PodAffinityTerm k3
      core.v1.PodCondition o5,6 k1,2
      core.v1.PodDNSConfigOption o1 k2
      core.v1.PodIP k1
      core.v1.PodReadinessGate k1
      core.v1.PodResourceClaim k1,3,4
      core.v1.PodResourceClaimStatus k1,2
      core.v1.PodSchedulingGate k1
      core.v1.PodSecurityContext k2,3,5,6
      core.v1.PodSpec o3,6,8,9,10,11,12,13,16,17,19,24 k4,5,21,27,29,30,35
      core.v1.PodStatus o1,3,4,5,6,11,14
      core.v1.PortStatus k1,2,3
      core.v1.PortworxVolumeSource o2,3 k1
      core.v1.PreferredSchedulingTerm k1
      core.v1.Probe o2,3,4,5,6 k7 i1
      core.v1.ProjectedVolumeSource k2
      core.v1.QuobyteVolumeSource o3,4,5,6 k1,2
      core.v1.RBDPersistentVolumeSource o3,4,5,6,8 k2
      core.v1.RBDVolumeSource o3,4,5,6,8 k2
      core.v1.ResourceClaim o2 k1
      core.v1.ResourceFieldSelector o1 k2
      core.v1.SELinuxOptions o1,2,3,4
      core.v1.ScaleIOPersistentVolumeSource o4,5,6,7,8,9,10 k1,2
      core.v1.ScaleIOVolumeSource o4,5,6,7,8,9,10 k1,2
      core.v1.SeccompProfile k1,2
      core.v1.Secret o3 k5
      core.v1.SecretEnvSource k2 i1
      core.v1.SecretKeySelector k2,3 i1
      core.v1.SecretProjection k4 i1
      core.v1.SecretReference o1,2
      core.v1.SecretVolumeSource o1 k4
      core.v1.SecurityContext k2,4,5,6,7,8
      core.v1.ServiceAccount k4
      core.v1.ServiceAccountTokenProjection k2,3
      core.v1.ServicePort o1,2,5 k3,6
      core.v1.ServiceSpec o3,4,7,8,10,13 k17,21,23
      core.v1.StorageOSPersistentVolumeSource o1,2,3,4
      core.v1.StorageOSVolumeSource o1,2,3,4
      core.v1.Sysctl k1,2
      core.v1.TCPSocketAction o2
      core.v1.Taint o2 k1,3
      core.v1.Toleration o1,2,3,4 k5
      core.v1.TopologySpreadConstraint k1,2,3,5
      core.v1.TypedLocalObjectReference k1,2,3
      core.v1.TypedObjectReference k1,2,3,4
      core.v1.Volume k1 i2
      core.v1.VolumeDevice k1,2
      core.v1.VolumeMount o2,4,6 k1,3,5,7
      core.v1.VolumeMountStatus o3 k1,2,4
      core.v1.VsphereVirtualDiskVolumeSource o2,3,4 k1
      core.v1.WeightedPodAffinityTerm k1
      core.v1.WindowsSecurityContextOptions k1,2,3
      discovery.v1.Endpoint k3,6,7
      discovery.v1.EndpointPort k1,4
      discovery.v1.ForZone k1
      events.v1.Event o4,5,6,7,10,11,15
      events.v1.EventSeries k1
      meta.v1.Condition o3 k1,5,6
      meta.v1.DeleteOptions k1,3,4,6
      meta.v1.FieldSelectorRequirement k1,2
      meta.v1.LabelSelectorRequirement k1,2
      meta.v1.ManagedFieldsEntry o1,2,3,6,8
      meta.v1.ObjectMeta o1,2,3,4,5,6,7 k10
      meta.v1.OwnerReference k1,3,4,5,6,7
      meta.v1.Preconditions k1,2
      """);

  private GoFieldTags() {}

  static Presence presence(String message, int number) {
    Tags t = tags(message);
    return t.omit.contains(number) ? Presence.OMIT_ZERO
        : t.keep.contains(number) ? Presence.KEEP_ZERO : Presence.UNKNOWN;
  }

  static boolean inline(String message, int number) {
    return tags(message).inline.contains(number);
  }

  /** The JSON name of a field: {@code protoName} unless the table says otherwise. */
  static String jsonName(String message, int number, String protoName) {
    return tags(message).names.getOrDefault(number, protoName);
  }

  private static Tags tags(String message) {
    String key = message.startsWith("k8s.io.api.") ? message.substring(11)
        : message.startsWith("k8s.io.apimachinery.pkg.apis.") ? message.substring(29) : message;
    return TABLE.getOrDefault(key, NONE);
  }

  private static Map<String, Tags> parse(String text) {
    Map<String, Tags> out = new HashMap<>();
    for (String line : text.strip().split("\n")) {
      String[] words = line.strip().split(" ");
      Tags t = new Tags(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashMap<>());
      for (int w = 1; w < words.length; w++) {
        char list = words[w].charAt(0);
        for (String item : words[w].substring(1).split(",")) {
          switch (list) {
            case 'o' -> t.omit.add(Integer.parseInt(item));
            case 'k' -> t.keep.add(Integer.parseInt(item));
            case 'i' -> t.inline.add(Integer.parseInt(item));
            case 'n' -> t.names.put(Integer.parseInt(item.substring(0, item.indexOf(':'))),
                item.substring(item.indexOf(':') + 1));
            default -> throw new IllegalStateException("GoFieldTags: bad line " + line);
          }
        }
      }
      out.put(words[0], t);
    }
    return Map.copyOf(out);
  }
}
