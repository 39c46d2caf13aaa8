package io.capstan.controllers.nodelifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this controller last saw each node alive, by its own clock (as upstream's probe
 * timestamps, so clock skew between node and controller does not matter): the time it first saw
 * the node, or last saw its Lease renewTime or Ready heartbeat change.
 */
final class NodeHealth {
  private record Seen(String renewTime, String heartbeat, Instant probe) {}

  private final Map<String, Seen> nodes = new ConcurrentHashMap<>();

  /** Records what is seen now and returns the node's probe time. */
  Instant observe(String node, String renewTime, String heartbeat, Instant now) {
    return nodes.compute(node, (k, seen) -> {
      if (seen == null || !Objects.equals(seen.renewTime(), renewTime)
          || !Objects.equals(seen.heartbeat(), heartbeat)) {
        return new Seen(renewTime, heartbeat, now);
      }
      return seen;
    }).probe();
  }

  void forget(String node) {
    nodes.remove(node);
  }
}
