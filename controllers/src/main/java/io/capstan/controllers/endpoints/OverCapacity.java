package io.capstan.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The 1000-address cap of an Endpoints object, as upstream: past it the controller keeps 1000
 * addresses, ready ones first, spread over the subsets in proportion to their size, and marks the
 * object with {@value #ANNOTATION}{@code : truncated}. Consumers needing every endpoint read the
 * EndpointSlices.
 */
final class OverCapacity {
  static final String ANNOTATION = "endpoints.kubernetes.io/over-capacity";
  static final String TRUNCATED = "truncated";
  static final int MAX_ADDRESSES = 1000;

  private OverCapacity() {}

  /** {@code subsets} cut to {@code max} addresses, or the same list when they fit. */
  static List<EndpointSubset> truncate(List<EndpointSubset> subsets, int max) {
    int ready = subsets.stream().mapToInt(s -> s.getAddresses().size()).sum();
    int notReady = subsets.stream().mapToInt(s -> s.getNotReadyAddresses().size()).sum();
    if (ready + notReady <= max) {
      return subsets;
    }
    // Too many ready addresses: share max among them and drop every not-ready one.
    // Otherwise keep every ready address and share what is left among the not-ready ones.
    boolean cutReady = ready > max;
    int budget = cutReady ? max : max - ready;
    int total = cutReady ? ready : notReady;
    int left = budget;
    List<EndpointSubset> out = new ArrayList<>();
    for (EndpointSubset s : subsets) {
      List<EndpointAddress> pool = cutReady ? s.getAddresses() : s.getNotReadyAddresses();
      int share = Math.min(left, (int) Math.ceil((double) pool.size() * budget / total));
      List<EndpointAddress> kept = List.copyOf(pool.subList(0, Math.min(share, pool.size())));
      left -= kept.size();
      out.add(cutReady
          ? new EndpointSubsetBuilder(s).withAddresses(kept).withNotReadyAddresses(List.of()).build()
          : new EndpointSubsetBuilder(s).withNotReadyAddresses(kept).build());
    }
    return out;
  }
}
