package io.capstan.controllers.scheduler;

import java.util.List;

/**
 * Upstream's NodePorts: a host port (port, protocol, host IP) the pod asks for must not be taken on
 * the node; 0.0.0.0 conflicts with every IP.
 */
final class NodePortsFilter implements FilterPlugin {
  static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return "NodePorts";
  }

  @Override
  public boolean resolvableByPreemption() {
    return true;
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    for (HostPort wanted : pod.hostPorts) {
      for (HostPort used : node.usedPorts) {
        if (wanted.conflictsWith(used)) {
          return List.of(REASON);
        }
      }
    }
    return List.of();
  }
}
