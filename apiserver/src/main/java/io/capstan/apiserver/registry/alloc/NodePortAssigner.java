package io.capstan.apiserver.registry.alloc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Node ports of one Service write, as kube's initNodePorts/updateNodePorts: ports sharing a port
 * number (TCP and UDP 53) share a node port; a requested one is taken unless the old object held
 * it already; the others get a free one when the type allocates them. Runs under the allocator's lock.
 */
final class NodePortAssigner {
  private final ServiceAllocator allocator;
  private final ServiceAllocator.Txn txn;

  NodePortAssigner(ServiceAllocator allocator, ServiceAllocator.Txn txn) {
    this.allocator = allocator;
    this.txn = txn;
  }

  void assign(ObjectNode spec, String name) {
    if (!ServiceFields.needsNodePorts(spec)) {
      return;
    }
    boolean auto = ServiceFields.allocatesNodePorts(spec);
    Map<Integer, Integer> byServicePort = new HashMap<>();
    JsonNode ports = spec.path("ports");
    for (int i = 0; i < ports.size(); i++) {
      if (!(ports.get(i) instanceof ObjectNode port)) {
        continue;
      }
      int servicePort = port.path("port").asInt(0);
      int nodePort = port.path("nodePort").asInt(0);
      Integer shared = byServicePort.get(servicePort);
      if (nodePort == 0 && shared != null) {
        port.put("nodePort", shared);
        continue;
      }
      if (nodePort == 0 && !auto) {
        continue;
      }
      if (nodePort == 0) {
        int requested = requestedLater(ports, i, servicePort);
        nodePort = requested != 0 ? take(requested, i, name) : allocator.takeNextPort(txn);
        port.put("nodePort", nodePort);
      } else if (shared == null || shared != nodePort) {
        take(nodePort, i, name);
      }
      byServicePort.putIfAbsent(servicePort, nodePort);
    }
    healthCheck(spec, name);
  }

  /** LoadBalancer with externalTrafficPolicy Local: spec.healthCheckNodePort, given or allocated. */
  private void healthCheck(ObjectNode spec, String name) {
    if (!ServiceFields.needsHealthCheck(spec)) {
      return;
    }
    int port = spec.path("healthCheckNodePort").asInt(0);
    if (port == 0) {
      spec.put("healthCheckNodePort", allocator.takeNextPort(txn));
    } else if (!txn.ownedPorts.contains(port) && !txn.takenPorts.contains(port)) {
      allocator.takeHealthCheckPort(port, name, txn);
    }
  }

  private int take(int port, int index, String name) {
    if (!txn.ownedPorts.contains(port) && !txn.takenPorts.contains(port)) {
      allocator.takePort(port, index, name, txn);
    }
    return port;
  }

  /** A node port a later entry with the same port number asks for, or 0. */
  private static int requestedLater(JsonNode ports, int from, int servicePort) {
    for (int j = from + 1; j < ports.size(); j++) {
      JsonNode p = ports.get(j);
      if (p.path("port").asInt(0) == servicePort && p.path("nodePort").asInt(0) != 0) {
        return p.path("nodePort").asInt();
      }
    }
    return 0;
  }
}
