package io.capstan.controllers.endpointslice;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans the writes that turn the existing slices of one address type into the desired endpoints,
 * as upstream's reconciler: a slice whose port set is still wanted keeps the endpoints still
 * wanted (updated in place when one changed) and drops the others; slices with room take the
 * endpoints left over; new slices of at most {@link #MAX_ENDPOINTS} take the rest; slices with an
 * unwanted port set, or left empty, are deleted. When a Service has no endpoints at all one empty
 * placeholder slice stays, so that consumers can tell "no endpoints" from "not processed".
 */
final class SlicePlanner {
  /** As upstream's default --max-endpoints-per-slice. */
  static final int MAX_ENDPOINTS = 100;

  /** The writes: new slices (generateName), changed slices (with their resourceVersion), slices to delete. */
  record Plan(List<EndpointSlice> creates, List<EndpointSlice> updates, List<EndpointSlice> deletes) {
    boolean isEmpty() {
      return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty();
    }
  }

  private SlicePlanner() {}

  /**
   * @param desired port set to endpoints by key, for {@code addressType}
   * @param existing this Service's managed slices of {@code addressType}
   * @param placeholder whether this address type must keep an empty slice (the Service has no endpoints)
   * @param labels the labels every slice of the Service carries
   */
  static Plan plan(Service service, String addressType, Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> desired,
      List<EndpointSlice> existing, boolean placeholder, Map<String, String> labels) {
    Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> remaining = new LinkedHashMap<>();
    desired.forEach((ports, eps) -> remaining.put(ports, new LinkedHashMap<>(eps)));
    List<EndpointSlice> deletes = new ArrayList<>();
    List<Draft> kept = new ArrayList<>();
    List<EndpointSlice> sorted = existing.stream()
        .sorted(Comparator.comparing((EndpointSlice s) -> s.getMetadata().getName())).toList();
    for (EndpointSlice slice : sorted) {
      List<SliceKeys.PortKey> ports = SliceKeys.ports(slice);
      Map<String, Endpoint> wanted = remaining.get(ports);
      if (wanted == null) {
        deletes.add(slice);
        continue;
      }
      Draft draft = new Draft(slice, ports);
      draft.changed = !Objects.equals(slice.getMetadata().getLabels(), labels);
      for (Endpoint have : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
        Endpoint want = wanted.remove(SliceKeys.endpointKey(have));
        if (want == null || draft.endpoints.size() >= MAX_ENDPOINTS) {
          draft.changed = true;
          if (want != null) {
            wanted.put(SliceKeys.endpointKey(want), want);
          }
          continue;
        }
        draft.endpoints.add(want);
        draft.changed |= !SliceKeys.same(have, want);
      }
      if (draft.endpoints.isEmpty()) {
        deletes.add(slice);
      } else {
        kept.add(draft);
      }
    }
    for (Draft draft : kept) {
      Map<String, Endpoint> left = remaining.get(draft.ports);
      var it = left.values().iterator();
      while (it.hasNext() && draft.endpoints.size() < MAX_ENDPOINTS) {
        draft.endpoints.add(it.next());
        draft.changed = true;
        it.remove();
      }
    }
    List<EndpointSlice> creates = new ArrayList<>();
    remaining.forEach((ports, left) -> {
      List<Endpoint> all = new ArrayList<>(left.values());
      for (int i = 0; i < all.size(); i += MAX_ENDPOINTS) {
        creates.add(fresh(service, addressType, ports, all.subList(i, Math.min(all.size(), i + MAX_ENDPOINTS)), labels));
      }
    });
    List<EndpointSlice> updates = new ArrayList<>();
    for (Draft draft : kept) {
      if (draft.changed) {
        updates.add(new EndpointSliceBuilder(draft.slice).editMetadata().withLabels(labels).endMetadata()
            .withEndpoints(draft.endpoints).build());
      }
    }
    if (placeholder && kept.isEmpty() && creates.isEmpty()) {
      EndpointSlice reuse = deletes.stream().filter(SlicePlanner::isPlaceholder).findFirst().orElse(null);
      if (reuse == null) {
        creates.add(fresh(service, addressType, List.of(), List.of(), labels));
      } else {
        deletes.remove(reuse);
        if (!Objects.equals(reuse.getMetadata().getLabels(), labels)) {
          updates.add(new EndpointSliceBuilder(reuse).editMetadata().withLabels(labels).endMetadata().build());
        }
      }
    }
    return new Plan(creates, updates, deletes);
  }

  private static boolean isPlaceholder(EndpointSlice s) {
    return (s.getEndpoints() == null || s.getEndpoints().isEmpty()) && (s.getPorts() == null || s.getPorts().isEmpty());
  }

  private static EndpointSlice fresh(Service service, String addressType, List<SliceKeys.PortKey> ports,
      List<Endpoint> endpoints, Map<String, String> labels) {
    return new EndpointSliceBuilder().withNewMetadata()
        .withNamespace(service.getMetadata().getNamespace())
        .withGenerateName(service.getMetadata().getName() + "-")
        .withLabels(labels)
        .withOwnerReferences(OwnerReferences.controllerReference(service))
        .endMetadata()
        .withAddressType(addressType).withPorts(DesiredEndpoints.toPorts(ports)).withEndpoints(List.copyOf(endpoints))
        .build();
  }

  /** An existing slice being rewritten. */
  private static final class Draft {
    final EndpointSlice slice;
    final List<SliceKeys.PortKey> ports;
    final List<Endpoint> endpoints = new ArrayList<>();
    boolean changed;

    Draft(EndpointSlice slice, List<SliceKeys.PortKey> ports) {
      this.slice = slice;
      this.ports = ports;
    }
  }
}
