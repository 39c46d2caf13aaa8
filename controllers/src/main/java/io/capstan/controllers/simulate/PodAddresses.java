package io.capstan.controllers.simulate;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Pod IPs out of each simulated node's {@code /24} pod CIDR: {@code .2} to {@code .254}, one per
 * pod, freed when the pod goes. A node with more pods than addresses reuses them (simulation only).
 */
final class PodAddresses {
  private static final int FIRST = 2;
  private static final int LAST = 254;
  private final Map<Integer, BitSet> used = new HashMap<>();
  private final Map<String, Lease> byPod = new HashMap<>();
  private final Map<Integer, Integer> next = new HashMap<>();

  private record Lease(int node, int host) {}

  /**
   * The IP of pod {@code key} on node {@code node}: {@code current} when the pod already has one
   * from that node's range (a restarted simulator), else the one it was given, else a free one.
   */
  synchronized String assign(String key, int node, String current) {
    Lease lease = byPod.get(key);
    if (lease != null && lease.node() == node) {
      return ip(node, lease.host());
    }
    release(key);
    String prefix = NodeTemplates.podCidr(node).replace(".0/24", ".");
    BitSet bits = used.computeIfAbsent(node, n -> new BitSet());
    int host = -1;
    if (current != null && current.startsWith(prefix)) {
      try {
        host = Integer.parseInt(current.substring(prefix.length()));
      } catch (NumberFormatException e) {
        host = -1;
      }
    }
    if (host < FIRST || host > LAST) {
      int start = next.getOrDefault(node, FIRST);
      host = bits.nextClearBit(start);
      if (host > LAST) {
        host = bits.nextClearBit(FIRST);
      }
      if (host > LAST) {
        host = start;
      }
      next.put(node, host >= LAST ? FIRST : host + 1);
    }
    bits.set(host);
    byPod.put(key, new Lease(node, host));
    return ip(node, host);
  }

  /** Frees the IP of pod {@code key}, if it had one. */
  synchronized void release(String key) {
    Lease lease = byPod.remove(key);
    if (lease != null) {
      used.get(lease.node()).clear(lease.host());
    }
  }

  private static String ip(int node, int host) {
    return NodeTemplates.podCidr(node).replace(".0/24", "." + host);
  }
}
