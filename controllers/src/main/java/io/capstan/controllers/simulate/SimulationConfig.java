package io.capstan.controllers.simulate;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link SimulatedNodes} run simulates.
 *
 * @param namePrefix nodes are named {@code namePrefix-0 .. namePrefix-(nodes-1)}
 * @param nodes how many nodes
 * @param leaseRenewInterval how often each node's Lease is renewed (a kubelet: 10 s)
 * @param statusInterval how often each node's Ready heartbeat is posted when nothing changed
 * @param podWorkers how many pod status writes run at once
 */
public record SimulationConfig(String namePrefix, int nodes, Duration leaseRenewInterval, Duration statusInterval,
    int podWorkers) {
  /** As a kubelet: leases renewed every 10 s, lasting 40 s. */
  public static final Duration DEFAULT_RENEW = Duration.ofSeconds(10);
  public static final Duration DEFAULT_STATUS = Duration.ofMinutes(1);
  public static final int LEASE_DURATION_SECONDS = 40;

  public SimulationConfig {
    Objects.requireNonNull(namePrefix, "namePrefix");
    if (nodes < 0) {
      throw new IllegalArgumentException("nodes must not be negative: " + nodes);
    }
    if (leaseRenewInterval.isZero() || leaseRenewInterval.isNegative()
        || statusInterval.isZero() || statusInterval.isNegative()) {
      throw new IllegalArgumentException("intervals must be positive");
    }
    if (podWorkers < 1) {
      throw new IllegalArgumentException("podWorkers must be at least 1: " + podWorkers);
    }
  }

  /** {@code nodes} nodes named {@code prefix-i}, kubelet-like intervals, 16 pod workers. */
  public static SimulationConfig of(String prefix, int nodes) {
    return new SimulationConfig(prefix, nodes, DEFAULT_RENEW, DEFAULT_STATUS, 16);
  }

  public SimulationConfig withLeaseRenewInterval(Duration d) {
    return new SimulationConfig(namePrefix, nodes, d, statusInterval, podWorkers);
  }

  public SimulationConfig withStatusInterval(Duration d) {
    return new SimulationConfig(namePrefix, nodes, leaseRenewInterval, d, podWorkers);
  }

  /** The name of node {@code i}. */
  public String nodeName(int i) {
    return namePrefix + "-" + i;
  }

  /** The index of {@code nodeName}, or -1 when it is not one of these nodes. */
  public int indexOf(String nodeName) {
    if (nodeName == null || !nodeName.startsWith(namePrefix + "-")) {
      return -1;
    }
    String rest = nodeName.substring(namePrefix.length() + 1);
    if (rest.isEmpty() || rest.length() > 9 || !rest.chars().allMatch(Character::isDigit)
        || (rest.length() > 1 && rest.charAt(0) == '0')) {
      return -1;
    }
    int i = Integer.parseInt(rest);
    return i < nodes ? i : -1;
  }
}
