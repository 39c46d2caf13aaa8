package io.capstan.apiserver.decode.protobuf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire schema (message and field names, field numbers and types) of Kubernetes v1.32
 * messages and fields that the {@code io.kubernetes:client-java-proto:23.0.0} jar lacks: it was
 * generated from an older release (about v1.30) and has no coordination, discovery or
 * events.k8s.io packages at all. These are interface facts, written as bare proto2 declarations
 * so that bodies from a v1.32 kubectl decode; no upstream comments or other text.
 *
 * <p>Each text is a file in the subset of proto2 that {@link ProtoSchemas} reads: {@code package},
 * {@code import}, {@code message} with {@code optional}, {@code repeated} and {@code map} fields,
 * and {@code reserved} numbers. A message that the jar's file already has is merged into it: its
 * fields are added and its reserved numbers are removed (fields that v1.32 no longer has).
 */
final class UpstreamProtos {
  private UpstreamProtos() {}

  static final String META = "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";
  static final String CORE = "k8s.io/api/core/v1/generated.proto";
  static final String AUTHORIZATION = "k8s.io/api/authorization/v1/generated.proto";

  /** Additions to files of the jar, by file name. */
  static final Map<String, String> PATCHES = new LinkedHashMap<>();
  /** Files the jar does not have at all, by file name. */
  static final Map<String, String> FILES = new LinkedHashMap<>();

  static {
    PATCHES.put(META, """
        package k8s.io.apimachinery.pkg.apis.meta.v1;
        message DeleteOptions {
          optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6;
        }
        message FieldSelectorRequirement {
          optional string key = 1;
          optional string operator = 2;
          repeated string values = 3;
        }
        """);
    PATCHES.put(CORE, """
        package k8s.io.api.core.v1;
        message ContainerStatus {
          optional ContainerUser user = 13;
          repeated ResourceStatus allocatedResourcesStatus = 14;
        }
        message ContainerUser {
          optional LinuxContainerUser linux = 1;
        }
        message ImageVolumeSource {
          optional string reference = 1;
          optional string pullPolicy = 2;
        }
        message LinuxContainerUser {
          optional int64 uid = 1;
          optional int64 gid = 2;
          repeated int64 supplementalGroups = 3;
        }
        message NodeFeatures {
          optional bool supplementalGroupsPolicy = 1;
        }
        message NodeRuntimeHandlerFeatures {
          optional bool userNamespaces = 2;
        }
        message NodeStatus {
          optional NodeFeatures features = 13;
        }
        message PodLogOptions {
          optional string stream = 10;
        }
        message PodResourceClaim {
          reserved 2;
          optional string resourceClaimName = 3;
          optional string resourceClaimTemplateName = 4;
        }
        message PodSecurityContext {
          optional string supplementalGroupsPolicy = 12;
          optional string seLinuxChangePolicy = 13;
        }
        message PodSpec {
          optional ResourceRequirements resources = 40;
        }
        message ResourceClaim {
          optional string request = 2;
        }
        message ResourceHealth {
          optional string resourceID = 1;
          optional string health = 2;
        }
        message ResourceStatus {
          optional string name = 1;
          repeated ResourceHealth resources = 2;
        }
        message VolumeSource {
          optional ImageVolumeSource image = 30;
        }
        """);
    PATCHES.put(AUTHORIZATION, """
        package k8s.io.api.authorization.v1;
        message FieldSelectorAttributes {
          optional string rawSelector = 1;
          repeated .k8s.io.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement requirements = 2;
        }
        message LabelSelectorAttributes {
          optional string rawSelector = 1;
          repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement requirements = 2;
        }
        message ResourceAttributes {
          optional FieldSelectorAttributes fieldSelector = 8;
          optional LabelSelectorAttributes labelSelector = 9;
        }
        """);
    FILES.put("k8s.io/api/coordination/v1/generated.proto", """
        package k8s.io.api.coordination.v1;
        import "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";
        message Lease {
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
          optional LeaseSpec spec = 2;
        }
        message LeaseSpec {
          optional string holderIdentity = 1;
          optional int32 leaseDurationSeconds = 2;
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime acquireTime = 3;
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime renewTime = 4;
          optional int32 leaseTransitions = 5;
          optional string strategy = 6;
          optional string preferredHolder = 7;
        }
        """);
    FILES.put("k8s.io/api/discovery/v1/generated.proto", """
        package k8s.io.api.discovery.v1;
        import "k8s.io/api/core/v1/generated.proto";
        import "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";
        message Endpoint {
          repeated string addresses = 1;
          optional EndpointConditions conditions = 2;
          optional string hostname = 3;
          optional .k8s.io.api.core.v1.ObjectReference targetRef = 4;
          map<string, string> deprecatedTopology = 5;
          optional string nodeName = 6;
          optional string zone = 7;
          optional EndpointHints hints = 8;
        }
        message EndpointConditions {
          optional bool ready = 1;
          optional bool serving = 2;
          optional bool terminating = 3;
        }
        message EndpointHints {
          repeated ForZone forZones = 1;
        }
        message EndpointPort {
          optional string name = 1;
          optional string protocol = 2;
          optional int32 port = 3;
          optional string appProtocol = 4;
        }
        message EndpointSlice {
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
          optional string addressType = 4;
          repeated Endpoint endpoints = 2;
          repeated EndpointPort ports = 3;
        }
        message ForZone {
          optional string name = 1;
        }
        """);
    FILES.put("k8s.io/api/events/v1/generated.proto", """
        package k8s.io.api.events.v1;
        import "k8s.io/api/core/v1/generated.proto";
        import "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";
        message Event {
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime eventTime = 2;
          optional EventSeries series = 3;
          optional string reportingController = 4;
          optional string reportingInstance = 5;
          optional string action = 6;
          optional string reason = 7;
          optional .k8s.io.api.core.v1.ObjectReference regarding = 8;
          optional .k8s.io.api.core.v1.ObjectReference related = 9;
          optional string note = 10;
          optional string type = 11;
          optional .k8s.io.api.core.v1.EventSource deprecatedSource = 12;
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time deprecatedFirstTimestamp = 13;
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time deprecatedLastTimestamp = 14;
          optional int32 deprecatedCount = 15;
        }
        message EventSeries {
          optional int32 count = 1;
          optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime lastObservedTime = 2;
        }
        """);
  }
}
