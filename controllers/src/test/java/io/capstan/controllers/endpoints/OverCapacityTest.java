package io.capstan.controllers.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The address cap of an Endpoints object. */
class OverCapacityTest {
  static List<EndpointAddress> addresses(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> new EndpointAddressBuilder().withIp(prefix + i).build()).toList();
  }

  static EndpointSubset subset(int ready, int notReady, String prefix) {
    return new EndpointSubsetBuilder().withAddresses(addresses(prefix + "r", ready))
        .withNotReadyAddresses(addresses(prefix + "n", notReady)).build();
  }

  @Test
  void subsetsWithinTheCapAreLeftAsTheyAre() {
    List<EndpointSubset> subsets = List.of(subset(5, 5, "a"));
    assertSame(subsets, OverCapacity.truncate(subsets, 10));
  }

  @Test
  void readyAddressesAreKeptBeforeNotReadyOnes() {
    List<EndpointSubset> cut = OverCapacity.truncate(List.of(subset(6, 4, "a"), subset(2, 4, "b")), 10);
    assertEquals(List.of(6, 2), cut.stream().map(s -> s.getAddresses().size()).toList());
    assertEquals(2, cut.stream().mapToInt(s -> s.getNotReadyAddresses().size()).sum());
  }

  @Test
  void tooManyReadyAddressesAreSharedInProportionAndNotReadyOnesDropped() {
    List<EndpointSubset> cut = OverCapacity.truncate(List.of(subset(15, 3, "a"), subset(5, 3, "b")), 10);
    assertEquals(10, cut.stream().mapToInt(s -> s.getAddresses().size()).sum());
    assertEquals(List.of(8, 2), cut.stream().map(s -> s.getAddresses().size()).toList());
    assertEquals(0, cut.stream().mapToInt(s -> s.getNotReadyAddresses().size()).sum());
  }
}
