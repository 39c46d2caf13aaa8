package io.capstan.controllers.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Where and how a {@link ControllerManager} competes for leadership: a {@code
 * coordination.k8s.io/v1} Lease, with client-go's timing rules (the leader renews before {@code
 * renewDeadline} passes or steps down; others take over once {@code leaseDuration} passes without
 * a renewal; everybody retries every {@code retryPeriod}).
 *
 * @param namespace the Lease's namespace
 * @param name the Lease's name
 * @param identity this candidate's name in the Lease's holderIdentity; unique per process
 * @param leaseDuration how long a lease is valid after its last renewal
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod the pause between attempts to acquire or renew
 */
public record LeaderElection(String namespace, String name, String identity, Duration leaseDuration,
    Duration renewDeadline, Duration retryPeriod) {
  /** The Lease the capstan controllers process competes for. */
  public static final String DEFAULT_NAME = "capstan-controllers";
  public static final String DEFAULT_NAMESPACE = "kube-system";

  public LeaderElection {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(identity, "identity");
    if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
      // As client-go: the leader must step down before others may take over.
      throw new IllegalArgumentException("need leaseDuration > renewDeadline > retryPeriod");
    }
  }

  /**
   * kube-system/capstan-controllers with kube-controller-manager's timing: a 15 s lease, renewed
   * within 10 s, retried every 2 s; identity is the host name and a random suffix.
   */
  public static LeaderElection defaults() {
    return new LeaderElection(DEFAULT_NAMESPACE, DEFAULT_NAME, defaultIdentity(),
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /** The host name and a random suffix, so two processes on one host differ. */
  public static String defaultIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  public LeaderElection withIdentity(String newIdentity) {
    return new LeaderElection(namespace, name, newIdentity, leaseDuration, renewDeadline, retryPeriod);
  }

  public LeaderElection withTiming(Duration lease, Duration renew, Duration retry) {
    return new LeaderElection(namespace, name, identity, lease, renew, retry);
  }
}
