package io.capstan.apiserver.registry.alloc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.WriteHook;
import io.capstan.apiserver.storage.Storage;
import java.time.Clock;
import java.time.Duration;
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
 * <p>Every taken address and port is a claim key in storage ({@link AllocationClaims}), created
 * only if absent, so several API servers on one store never hand out the same one. The sets in
 * memory, guarded by this object's lock, only say where to look for a free one: an address found
 * claimed by another server is marked and skipped, and when the memory says the range is full it
 * is re-read from the claims. {@link #rebuild} at start marks what the stored Services hold,
 * claims it if the store predates claims, and gives back claims no Service holds that are older
 * than {@link #ABANDONED} (docs/adr/0010-service-allocation-in-memory.md).
 */
public final class ServiceAllocator implements WriteHook {
  /** A claim no Service holds for this long was left by a crash between claim and write. */
  static final Duration ABANDONED = Duration.ofMinutes(2);
  private static final String FULL = "range is full";
  private final Ranges ranges;
  private final AllocationClaims claims;
  private final RangeBits ips;
  private final RangeBits ports;

  public ServiceAllocator(Ranges ranges, Storage storage, Clock clock) {
    this.ranges = ranges;
    this.claims = new AllocationClaims(storage, clock);
    int ipCount = ranges.serviceCidr().usable();
    this.ips = new RangeBits(ipCount, RangeBits.band(ipCount, 16, 16, 256));
    int portCount = ranges.nodePortMax() - ranges.nodePortMin() + 1;
    this.ports = new RangeBits(portCount, RangeBits.band(portCount, 16, 32, 128));
  }

  public Ranges ranges() {
    return ranges;
  }

  /**
   * At start, before requests are served: claims what the stored Services hold (stores written
   * before claims existed), gives back abandoned claims, and marks every claim as taken.
   */
  public synchronized void rebuild(Iterable<ObjectNode> services) {
    Set<String> heldIps = new HashSet<>();
    Set<String> heldPorts = new HashSet<>();
    for (ObjectNode svc : services) {
      JsonNode spec = svc.path("spec");
      for (String ip : ServiceFields.clusterIps(spec)) {
        if (ranges.serviceCidr().offset(Ipv4Cidr.parseIp(ip)) >= 0 && heldIps.add(ip)) {
          claims.claim(AllocationClaims.IPS + ip);
        }
      }
      for (int np : ServiceFields.nodePorts(spec)) {
        if (np >= ranges.nodePortMin() && np <= ranges.nodePortMax() && heldPorts.add(Integer.toString(np))) {
          claims.claim(AllocationClaims.PORTS + np);
        }
      }
    }
    dropAbandoned(AllocationClaims.IPS, heldIps);
    dropAbandoned(AllocationClaims.PORTS, heldPorts);
    resyncIps();
    resyncPorts();
  }

  private void dropAbandoned(String prefix, Set<String> held) {
    claims.all(prefix).forEach((key, at) -> {
      if (!held.contains(key) && claims.olderThan(at, ABANDONED)) {
        claims.release(prefix + key);
      }
    });
  }

  /** Re-reads the taken addresses from the claims (others may have freed some). */
  private void resyncIps() {
    ips.clear();
    for (String ip : claims.all(AllocationClaims.IPS).keySet()) {
      int off = ranges.serviceCidr().offset(Ipv4Cidr.parseIp(ip));
      if (off >= 0) {
        ips.take(off);
      }
    }
  }

  private void resyncPorts() {
    ports.clear();
    for (String p : claims.all(AllocationClaims.PORTS).keySet()) {
      int np = Integer.parseInt(p);
      if (np >= ranges.nodePortMin() && np <= ranges.nodePortMax()) {
        ports.take(np - ranges.nodePortMin());
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
    Txn txn = new Txn(false);
    JsonNode spec = removed.path("spec");
    ServiceFields.clusterIps(spec).forEach(ip -> txn.ownedIps.add(ip));
    txn.ownedPorts.addAll(ServiceFields.nodePorts(spec));
    txn.releaseUnused(Set.of(), Set.of());
  }

  private synchronized Reservation reserve(ObjectNode obj, ObjectNode old, boolean dryRun) {
    ObjectNode spec = obj.path("spec") instanceof ObjectNode s ? s : obj.putObject("spec");
    String name = Json.metadata(obj).path("name").asText();
    Txn txn = new Txn(dryRun);
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
      int off = nextIp(txn);
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
        : txn.claim(AllocationClaims.IPS + ip) ? null : "provided IP is already allocated";
    if (why != null) {
      throw StatusErrors.invalid("", "Service", name, List.of(FieldError.invalid("spec.clusterIPs",
          new GoValue("[]string{\"" + ip + "\"}"), "failed to allocate IP " + ip + ": " + why)));
    }
    ips.take(off);
    txn.takenIps.add(off);
  }

  /** Takes a free address: the memory's pick, unless another server claimed it meanwhile. */
  private int nextIp(Txn txn) {
    for (boolean resynced = false; ; ) {
      int off = ips.takeNext();
      if (off < 0) {
        if (resynced) {
          throw StatusErrors.internal("failed to allocate a serviceIP: " + FULL);
        }
        resyncIps();
        resynced = true;
        continue;
      }
      if (txn.claim(AllocationClaims.IPS + ranges.serviceCidr().address(off))) {
        txn.takenIps.add(off);
        return off;
      }
    }
  }

  /** Takes a specific node port; the error names the field at {@code index}. */
  void takePort(int port, int index, String name, Txn txn) {
    String why = null;
    if (port < ranges.nodePortMin() || port > ranges.nodePortMax()) {
      why = "provided port is not in the valid range. The range of valid ports is " + ranges.nodePorts();
    } else if (!txn.claim(AllocationClaims.PORTS + port)) {
      why = "provided port is already allocated";
    }
    if (why != null) {
      throw StatusErrors.invalid("", "Service", name, List.of(FieldError.invalid(
          "spec.ports[" + index + "].nodePort", new GoValue(Integer.toString(port)), why)));
    }
    ports.take(port - ranges.nodePortMin());
    txn.takenPorts.add(port);
  }

  /** Takes a requested spec.healthCheckNodePort. */
  void takeHealthCheckPort(int port, String name, Txn txn) {
    String why = null;
    if (port < ranges.nodePortMin() || port > ranges.nodePortMax()) {
      why = "provided port is not in the valid range. The range of valid ports is " + ranges.nodePorts();
    } else if (!txn.claim(AllocationClaims.PORTS + port)) {
      why = "provided port is already allocated";
    }
    if (why != null) {
      throw StatusErrors.invalid("", "Service", name, List.of(FieldError.invalid("spec.healthCheckNodePort",
          new GoValue(Integer.toString(port)), "failed to allocate requested HealthCheck NodePort " + port + ": " + why)));
    }
    ports.take(port - ranges.nodePortMin());
    txn.takenPorts.add(port);
  }

  /** Takes a free node port. */
  int takeNextPort(Txn txn) {
    for (boolean resynced = false; ; ) {
      int off = ports.takeNext();
      if (off < 0) {
        if (resynced) {
          throw StatusErrors.internal("failed to allocate a nodePort: " + FULL);
        }
        resyncPorts();
        resynced = true;
        continue;
      }
      int port = ranges.nodePortMin() + off;
      if (txn.claim(AllocationClaims.PORTS + port)) {
        txn.takenPorts.add(port);
        return port;
      }
    }
  }

  /** A value printed as Go's %#v would, without quotes. */
  record GoValue(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * What one write reserved, and what its old object held. Callers hold the allocator's lock. A
   * dry run claims nothing in storage: it only checks that its picks are free.
   */
  final class Txn {
    final List<Integer> takenIps = new ArrayList<>();
    final List<Integer> takenPorts = new ArrayList<>();
    final Set<String> ownedIps = new HashSet<>();
    final Set<Integer> ownedPorts = new HashSet<>();
    private final boolean dryRun;

    Txn(boolean dryRun) {
      this.dryRun = dryRun;
    }

    boolean claim(String key) {
      return dryRun ? !claims.claimed(key) : claims.claim(key);
    }

    void revert() {
      for (int off : takenIps) {
        ips.release(off);
        if (!dryRun) {
          claims.release(AllocationClaims.IPS + ranges.serviceCidr().address(off));
        }
      }
      for (int p : takenPorts) {
        ports.release(p - ranges.nodePortMin());
        if (!dryRun) {
          claims.release(AllocationClaims.PORTS + p);
        }
      }
      takenIps.clear();
      takenPorts.clear();
    }

    void releaseUnused(Set<String> keepIps, Set<Integer> keepPorts) {
      for (String ip : ownedIps) {
        int off = ranges.serviceCidr().offset(Ipv4Cidr.parseIp(ip));
        if (off >= 0 && !keepIps.contains(ip)) {
          ips.release(off);
          claims.release(AllocationClaims.IPS + ip);
        }
      }
      for (int p : ownedPorts) {
        if (!keepPorts.contains(p) && p >= ranges.nodePortMin() && p <= ranges.nodePortMax()) {
          ports.release(p - ranges.nodePortMin());
          claims.release(AllocationClaims.PORTS + p);
        }
      }
    }
  }
}
