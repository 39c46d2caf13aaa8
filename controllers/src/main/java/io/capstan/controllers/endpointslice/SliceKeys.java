package io.capstan.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Value keys for comparing slice contents as the API returns them with what the controller wants:
 * empty strings and absent fields are alike, order does not matter, and a target's
 * resourceVersion is ignored.
 */
final class SliceKeys {
  private SliceKeys() {}

  /** One port of a slice. */
  record PortKey(String name, int port, String protocol, String appProtocol) implements Comparable<PortKey> {
    @Override
    public int compareTo(PortKey o) {
      return Comparator.comparing(PortKey::name, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .thenComparingInt(PortKey::port)
          .thenComparing(PortKey::protocol, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .compare(this, o);
    }
  }

  /** Everything an endpoint says that the controller sets. */
  record EndpointValue(List<String> addresses, Boolean ready, Boolean serving, Boolean terminating, String hostname,
      String nodeName, String zone, String targetKind, String targetNamespace, String targetName, String targetUid) {}

  /** The sorted port keys of {@code slice}. */
  static List<PortKey> ports(EndpointSlice slice) {
    List<PortKey> keys = new ArrayList<>();
    if (slice.getPorts() != null) {
      for (EndpointPort p : slice.getPorts()) {
        keys.add(new PortKey(emptyToNull(p.getName()), p.getPort() == null ? 0 : p.getPort(),
            p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol(),
            emptyToNull(p.getAppProtocol())));
      }
    }
    keys.sort(null);
    return List.copyOf(keys);
  }

  /** What identifies an endpoint across passes: its pod's uid, else its first address. */
  static String endpointKey(Endpoint e) {
    if (e.getTargetRef() != null && e.getTargetRef().getUid() != null && !e.getTargetRef().getUid().isEmpty()) {
      return e.getTargetRef().getUid();
    }
    return e.getAddresses() == null || e.getAddresses().isEmpty() ? "" : e.getAddresses().get(0);
  }

  static EndpointValue value(Endpoint e) {
    EndpointConditions c = e.getConditions();
    ObjectReference r = e.getTargetRef();
    return new EndpointValue(e.getAddresses() == null ? List.of() : List.copyOf(e.getAddresses()),
        c == null ? null : c.getReady(), c == null ? null : c.getServing(), c == null ? null : c.getTerminating(),
        emptyToNull(e.getHostname()), emptyToNull(e.getNodeName()), emptyToNull(e.getZone()),
        r == null ? null : emptyToNull(r.getKind()), r == null ? null : emptyToNull(r.getNamespace()),
        r == null ? null : emptyToNull(r.getName()), r == null ? null : emptyToNull(r.getUid()));
  }

  static boolean same(Endpoint a, Endpoint b) {
    return value(a).equals(value(b));
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
