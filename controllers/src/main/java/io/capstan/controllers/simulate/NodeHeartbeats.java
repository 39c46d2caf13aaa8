package io.capstan.controllers.simulate;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The node-side writes of a kubelet: the node Lease and the node status (both as merge patches).
 * Shared by the simulated nodes and the real node agent ({@code io.capstan.node.agent}).
 */
public final class NodeHeartbeats {
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  /** Kubernetes' MicroTime: RFC 3339 with six fractional digits. */
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;

  public NodeHeartbeats(KubernetesClient client) {
    this.client = client;
  }

  /** Sets the Lease's renewTime to {@code now}, creating the Lease (owned by the node) if missing. */
  public void renewLease(Node node, Instant now, int durationSeconds) {
    String name = node.getMetadata().getName();
    String renew = MICRO.format(now);
    Map<String, Object> patch = Map.of("spec", Map.of("holderIdentity", name,
        "leaseDurationSeconds", durationSeconds, "renewTime", renew));
    try {
      client.leases().inNamespace(LEASE_NAMESPACE).withName(name)
          .patch(MERGE, client.getKubernetesSerialization().asJson(patch));
      return;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    Lease lease = new LeaseBuilder().withNewMetadata().withNamespace(LEASE_NAMESPACE).withName(name)
        .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(name)
          .withUid(node.getMetadata().getUid()).endOwnerReference()
        .endMetadata()
        .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(durationSeconds)
          .withRenewTime(now.atZone(ZoneOffset.UTC)).endSpec().build();
    if (node.getMetadata().getUid() == null) {
      lease.getMetadata().setOwnerReferences(List.of());
    }
    try {
      client.leases().resource(lease).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** Posts the whole status of {@code template} (capacity, addresses, nodeInfo, conditions). */
  public void postFullStatus(Node template, Instant now) {
    Map<String, Object> status = client.getKubernetesSerialization()
        .convertValue(template.getStatus(), Map.class);
    client.nodes().withName(template.getMetadata().getName()).subresource("status")
        .patch(MERGE, client.getKubernetesSerialization().asJson(Map.of("status", status)));
  }

  /** Replaces the node's conditions (a heartbeat). */
  public void postConditions(String name, List<NodeCondition> conditions) {
    client.nodes().withName(name).subresource("status")
        .patch(MERGE, client.getKubernetesSerialization().asJson(Map.of("status", Map.of("conditions", conditions))));
  }
}
