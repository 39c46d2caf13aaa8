package io.capstan.controllers.scheduler;

/**
 * A host port a pod asks for: {@code hostIP} (0.0.0.0 when empty), protocol (TCP when empty) and
 * port. Two conflict on the same port and protocol when either IP is 0.0.0.0 or both are equal.
 */
record HostPort(String ip, String protocol, int port) {
  static final String ANY_IP = "0.0.0.0";

  static HostPort of(String ip, String protocol, int port) {
    return new HostPort(ip == null || ip.isEmpty() ? ANY_IP : ip,
        protocol == null || protocol.isEmpty() ? "TCP" : protocol, port);
  }

  boolean conflictsWith(HostPort other) {
    return port == other.port && protocol.equals(other.protocol)
        && (ip.equals(other.ip) || ip.equals(ANY_IP) || other.ip.equals(ANY_IP));
  }
}
