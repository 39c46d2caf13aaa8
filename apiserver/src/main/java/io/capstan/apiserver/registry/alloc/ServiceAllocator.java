package io.capstan.apiserver.registry.alloc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.WriteHook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ClusterIP and NodePort allocation for Services, as kube-apiserver's service REST allocators.
 * Types ClusterIP, NodePort and LoadBalancer get a free address of the service CIDR when
 * spec.clusterIP is empty ("None" is headless and gets none); a requested address must be in the
 * range and free. Each port of a NodePort or LoadBalancer Service (unless
 * allocateLoadBalancerNodePorts is false) gets a free node port unless it names one, which must be
 * in the range and free; a LoadBalancer with externalTrafficPolicy Local also gets
 * spec.healthCheckNodePort. Addresses and ports are freed when the Service is deleted, when a create
 * or update fails after reserving them, and when an update stops using them (type change).
 * spec.ipFamilies ([IPv4]) and spec.ipFamilyPolicy (SingleStack) are defaulted: the cluster is
 * single-stack IPv4.
 *
 * <p>The allocated sets live in memory, guarded by this object's lock, and are rebuilt from the
 * stored Services by {@link #rebuild} at start (docs/adr/0010-service-allocation-in-memory.md).
 */
public final class ServiceAllocator implements WriteHook {
  private static final String FULL = "range is full";
  private final Ranges ranges;
  private final RangeBits ips;
  private final RangeBits ports;

  public ServiceAllocator(Ranges ranges) {
    this.ranges = ranges;
    int ipCount = ranges.serviceCidr().usable();
    this.ips = new RangeBits(ipCount, RangeBits.band(ipCount, 16, 16, 256));
    int portCount = ranges.nodePortMax() - ranges.nodePortMin() + 1;
    this.ports = new RangeBits(portCount, RangeBits.band(portCount, 16, 32, 128));
  }

  public Ranges ranges() {
    return ranges;
  }

  /** Marks what the stored Services hold as taken (at start, before requests are served). */
  public synchronized void rebuild(Iterable<ObjectNode> services) {
    for (ObjectNode svc : services) {
      JsonNode spec = svc.path("spec");
      for (String ip : ServiceFields.clusterIps(spec)) {
        int off = ranges.serviceCidr().offset(Ipv4Cidr.parseIp(ip));
        if (off >= 0) {
          ips.take(off);
        }
      }
      for (int np : ServiceFields.nodePorts(spec)) {
        if (np >= ranges.nodePortMin() && np <= ranges.nodePortMax()) {
          ports.take(np - ranges.nodePortMin());
        }
      }
    }
  }

  /** Whether an address is taken now (for tests and the bootstrap). */
  public synchronized boolean isAllocated(String ip) {
    int off = ranges.serviceCidr().offset(Ipv4Cidr.parseIp(ip));
    return off >= 0 && ips.has(off);
  }

  /** Whether a node port is taken now. */
  public synchronized boolean isPortAllocated(int port) {
    return port >= ranges.nodePortMin() && port <= ranges.nodePortMax() && ports.has(port - ranges.nodePortMin());
  }

  @Override
  public Reservation beforeCreate(ObjectNode obj, boolean dryRun) {
    return reserve(obj, null, dryRun);
  }

  @Override
  public Reservation beforeUpdate(ObjectNode obj, ObjectNode old, boolean dryRun) {
    return reserve(obj, old, dryRun);
  }

  @Override
  public synchronized void afterDelete(ObjectNode removed) {
    Txn txn = new Txn();
    JsonNode spec = removed.path("spec");
    ServiceFields.clusterIps(spec).forEach(ip -> txn.ownedIps.add(ip));
    txn.ownedPorts.addAll(ServiceFields.nodePorts(spec));
    txn.releaseUnused(Set.of(), Set.of());
  }

  private synchronized Reservation reserve(ObjectNode obj, ObjectNode old, boolean dryRun) {
    ObjectNode spec = obj.path("spec") instanceof ObjectNode s ? s : obj.putObject("spec");
    String name = Json.metadata(obj).path("name").asText();
    Txn txn = new Txn();
    if (old != null) {
      JsonNode before = old.path("spec");
      txn.ownedIps.addAll(ServiceFields.clusterIps(before));
      txn.ownedPorts.addAll(ServiceFields.nodePorts(before));
    }
    try {
      if (ServiceFields.needsClusterIp(spec)) {
        IpFamilies.defaultAndCheck(spec, name);
        assignClusterIp(spec, name, txn);
      }
      new NodePortAssigner(this, txn).assign(spec, name);
    } catch (RuntimeException e) {
      txn.revert();
      throw e;
    }
    if (dryRun) {
      txn.revert();
      return Reservation.NONE;
    }
    Set<String> keepIps = new HashSet<>(ServiceFields.clusterIps(spec));
    Set<Integer> keepPorts = new HashSet<>(ServiceFields.nodePorts(spec));
    return new Reservation() {
      @Override
      public void commit() {
        synchronized (ServiceAllocator.this) {
          txn.releaseUnused(keepIps, keepPorts);
        }
      }

      @Override
      public void revert() {
        synchronized (ServiceAllocator.this) {
          txn.revert();
        }
      }
    };
  }

  private void assignClusterIp(ObjectNode spec, String name, Txn txn) {
    String ip = spec.path("clusterIP").asText("");
    if (ip.equals("None")) {
      return;
    }
    if (ip.isEmpty()) {
      int off = ips.takeNext();
      if (off < 0) {
        throw StatusErrors.internal("failed to allocate a serviceIP: " + FULL);
      }
      txn.takenIps.add(off);
      ip = ranges.serviceCidr().address(off);
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
      return;
    }
    if (spec.path("clusterIPs").isEmpty()) {
      spec.putArray("clusterIPs").add(ip);
    }
    if (txn.ownedIps.contains(ip)) {
      return;
    }
    int off = ranges.serviceCidr().offset(Ipv4Cidr.parseIp(ip));
    String why = off < 0
        ? "the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is " + ranges.serviceCidr()
        : ips.take(off) ? null : "provided IP is already allocated";
    if (why != null) {
      throw StatusErrors.invalid("", "Service", name, List.of(FieldError.invalid("spec.clusterIPs",
          new GoValue("[]string{\"" + ip + "\"}"), "failed to allocate IP " + ip + ": " + why)));
    }
    txn.takenIps.add(off);
  }

  /** Takes a specific node port; the error names the field at {@code index}. */
  void takePort(int port, int index, String name, Txn txn) {
    String why = null;
    if (port < ranges.nodePortMin() || port > ranges.nodePortMax()) {
      why = "provided port is not in the valid range. The range of valid ports is " + ranges.nodePorts();
    } else if (!ports.take(port - ranges.nodePortMin())) {
      why = "provided port is already allocated";
    }
    if (why != null) {
      throw StatusErrors.invalid("", "Service", name, List.of(FieldError.invalid(
          "spec.ports[" + index + "].nodePort", new GoValue(Integer.toString(port)), why)));
    }
    txn.takenPorts.add(port);
  }

  /** Takes a requested spec.healthCheckNodePort. */
  void takeHealthCheckPort(int port, String name, Txn txn) {
    String why = null;
    if (port < ranges.nodePortMin() || port > ranges.nodePortMax()) {
      why = "provided port is not in the valid range. The range of valid ports is " + ranges.nodePorts();
    } else if (!ports.take(port - ranges.nodePortMin())) {
      why = "provided port is already allocated";
    }
    if (why != null) {
      throw StatusErrors.invalid("", "Service", name, List.of(FieldError.invalid("spec.healthCheckNodePort",
          new GoValue(Integer.toString(port)), "failed to allocate requested HealthCheck NodePort " + port + ": " + why)));
    }
    txn.takenPorts.add(port);
  }

  /** Takes a free node port. */
  int takeNextPort(Txn txn) {
    int off = ports.takeNext();
    if (off < 0) {
      throw StatusErrors.internal("failed to allocate a nodePort: " + FULL);
    }
    int port = ranges.nodePortMin() + off;
    txn.takenPorts.add(port);
    return port;
  }

  /** A value printed as Go's %#v would, without quotes. */
  record GoValue(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** What one write reserved, and what its old object held. Callers hold the allocator's lock. */
  final class Txn {
    final List<Integer> takenIps = new ArrayList<>();
    final List<Integer> takenPorts = new ArrayList<>();
    final Set<String> ownedIps = new HashSet<>();
    final Set<Integer> ownedPorts = new HashSet<>();

    void revert() {
      takenIps.forEach(ips::release);
      takenPorts.forEach(p -> ports.release(p - ranges.nodePortMin()));
      takenIps.clear();
      takenPorts.clear();
    }

    void releaseUnused(Set<String> keepIps, Set<Integer> keepPorts) {
      for (String ip : ownedIps) {
        int off = ranges.serviceCidr().offset(Ipv4Cidr.parseIp(ip));
        if (off >= 0 && !keepIps.contains(ip)) {
          ips.release(off);
        }
      }
      for (int p : ownedPorts) {
        if (!keepPorts.contains(p) && p >= ranges.nodePortMin() && p <= ranges.nodePortMax()) {
          ports.release(p - ranges.nodePortMin());
        }
      }
    }
  }
}
