package io.capstan.controllers.nodeipam;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Node status events of the CIDR allocator, as upstream's RecordNodeStatusChange: type Normal,
 * reason = the status, "Node N status is now: S", in namespace default, from component
 * cidrAllocator. A failed event write is logged, never fatal.
 */
final class NodeEvents {
  static final String COMPONENT = "cidrAllocator";
  static final String CIDR_NOT_AVAILABLE = "CIDRNotAvailable";
  private static final Logger LOG = Logger.getLogger(NodeEvents.class);
  private final KubernetesClient client;

  NodeEvents(KubernetesClient client) {
    this.client = client;
  }

  void cidrNotAvailable(Node node) {
    status(node, CIDR_NOT_AVAILABLE);
  }

  private void status(Node node, String status) {
    Instant at = Instant.now();
    String now = at.truncatedTo(ChronoUnit.SECONDS).toString();
    String name = node.getMetadata().getName();
    Event event = new EventBuilder()
        .withNewMetadata().withNamespace("default")
        .withName(name + "." + Long.toHexString(at.getEpochSecond() * 1_000_000_000L + at.getNano())).endMetadata()
        .withNewInvolvedObject().withApiVersion("v1").withKind("Node").withName(name)
        .withUid(node.getMetadata().getUid()).endInvolvedObject()
        .withType("Normal").withReason(status).withMessage("Node " + name + " status is now: " + status)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    try {
      client.v1().events().inNamespace("default").resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf("cannot record %s event of node %s: %s", status, name, e.getMessage());
    }
  }
}
