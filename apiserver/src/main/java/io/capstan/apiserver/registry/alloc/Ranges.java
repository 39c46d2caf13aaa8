package io.capstan.apiserver.registry.alloc;

/**
 * The address ranges Services draw from, as kube-apiserver's {@code --service-cluster-ip-range}
 * and {@code --service-node-port-range}.
 *
 * @param serviceCidr the ClusterIP range
 * @param nodePortMin first NodePort
 * @param nodePortMax last NodePort (inclusive)
 */
public record Ranges(Ipv4Cidr serviceCidr, int nodePortMin, int nodePortMax) {
  public static final String DEFAULT_SERVICE_CIDR = io.capstan.apiserver.ApiServerConfig.DEFAULT_SERVICE_CLUSTER_IP_RANGE;
  public static final String DEFAULT_NODE_PORTS = io.capstan.apiserver.ApiServerConfig.DEFAULT_SERVICE_NODE_PORT_RANGE;

  public static Ranges defaults() {
    return parse(DEFAULT_SERVICE_CIDR, DEFAULT_NODE_PORTS);
  }

  /**
   * Parses the two flags' values: an IPv4 CIDR between /12 and /30 (kube's limits for the
   * allocator) and a port range {@code MIN-MAX} (or {@code MIN+COUNT}) within 1-65535.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static Ranges parse(String serviceCidr, String nodePorts) {
    Ipv4Cidr cidr = Ipv4Cidr.parse(serviceCidr);
    if (cidr.prefix() < 12) {
      throw new IllegalArgumentException("service IP range " + serviceCidr
          + " is too large; for 32-bit addresses, the mask must be >= 12");
    }
    if (cidr.prefix() > 30) {
      throw new IllegalArgumentException("service IP range " + serviceCidr + " is too small; the mask must be <= 30");
    }
    int min;
    int max;
    try {
      int plus = nodePorts.indexOf('+');
      int dash = nodePorts.indexOf('-');
      if (plus > 0) {
        min = Integer.parseInt(nodePorts.substring(0, plus).trim());
        max = min + Integer.parseInt(nodePorts.substring(plus + 1).trim()) - 1;
      } else if (dash > 0) {
        min = Integer.parseInt(nodePorts.substring(0, dash).trim());
        max = Integer.parseInt(nodePorts.substring(dash + 1).trim());
      } else {
        min = Integer.parseInt(nodePorts.trim());
        max = min;
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unable to parse port range: " + nodePorts);
    }
    if (min < 1 || max > 65535 || max < min) {
      throw new IllegalArgumentException("invalid port range: " + nodePorts);
    }
    return new Ranges(cidr, min, max);
  }

  /** The range as kube prints it in messages: {@code 30000-32767}. */
  public String nodePorts() {
    return nodePortMin + "-" + nodePortMax;
  }

  /** The first usable service address (10.96.0.1 by default), the {@code kubernetes} Service's. */
  public String firstServiceIp() {
    return serviceCidr.address(0);
  }
}
