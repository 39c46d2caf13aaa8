package io.capstan.controllers.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Building and comparing Endpoints subsets. */
class EndpointSubsetsTest {
  static Service service(boolean publishNotReady) {
    return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web").withPublishNotReadyAddresses(publishNotReady)
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .addNewPort().withName("metrics").withPort(9100).withTargetPort(new IntOrString(9100)).endPort()
        .endSpec().build();
  }

  static Pod pod(String name, String ip, Integer httpPort, boolean ready) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid(name + "-uid")
        .endMetadata();
    var container = b.withNewSpec().addNewContainer().withName("c");
    if (httpPort != null) {
      container.addNewPort().withName("http").withContainerPort(httpPort).endPort();
    }
    return container.endContainer().endSpec().withNewStatus().withPodIP(ip).addNewCondition().withType("Ready")
        .withStatus(ready ? "True" : "False").endCondition().endStatus().build();
  }

  static List<String> ips(List<EndpointAddress> addresses) {
    return addresses.stream().map(EndpointAddress::getIp).toList();
  }

  @Test
  void eachSetOfAddressesGetsTheSubsetOfThePortsItOffers() {
    // As RepackSubsets: ports offered by the same addresses share a subset; a pod may be in several.
    List<EndpointSubset> subsets = EndpointSubsets.desired(service(false), List.of(
        pod("a", "10.0.0.1", 8080, true), pod("b", "10.0.0.2", 8080, false), pod("c", "10.0.0.3", 8081, true),
        pod("d", "10.0.0.4", null, true)));
    assertEquals(3, subsets.size(), subsets.toString());
    EndpointSubset http8080 = byPort(subsets, 8080);
    assertEquals(1, http8080.getPorts().size());
    assertEquals(List.of("10.0.0.1"), ips(http8080.getAddresses()));
    assertEquals(List.of("10.0.0.2"), ips(http8080.getNotReadyAddresses()));
    assertEquals(List.of("10.0.0.3"), ips(byPort(subsets, 8081).getAddresses()));
    EndpointSubset metrics = byPort(subsets, 9100);
    assertEquals("metrics", metrics.getPorts().get(0).getName());
    assertEquals(List.of("10.0.0.1", "10.0.0.3", "10.0.0.4"), ips(metrics.getAddresses()));
    assertEquals(List.of("10.0.0.2"), ips(metrics.getNotReadyAddresses()));
  }

  static EndpointSubset byPort(List<EndpointSubset> subsets, int port) {
    return subsets.stream().filter(s -> s.getPorts().stream().anyMatch(p -> p.getPort() == port)).findFirst()
        .orElseThrow();
  }

  @Test
  void publishNotReadyAddressesMakesEveryPodReadyAndPodsWithoutIpOrTerminalAreLeftOut() {
    Pod done = new PodBuilder(pod("e", "10.0.0.5", 8080, true)).editStatus().withPhase("Succeeded").endStatus().build();
    List<EndpointSubset> subsets = EndpointSubsets.desired(service(true), List.of(
        pod("b", "10.0.0.2", 8080, false), pod("n", null, 8080, true), done));
    assertEquals(1, subsets.size());
    assertEquals(List.of("10.0.0.2"), ips(subsets.get(0).getAddresses()));
    assertTrue(subsets.get(0).getNotReadyAddresses().isEmpty());
  }

  @Test
  void comparisonIgnoresOrder() {
    List<EndpointSubset> subsets = EndpointSubsets.desired(service(false), List.of(
        pod("a", "10.0.0.1", 8080, true), pod("b", "10.0.0.2", 8080, true)));
    EndpointSubset s = subsets.get(0);
    EndpointSubset reversed = new EndpointSubsetBuilder(s)
        .withAddresses(s.getAddresses().get(1), s.getAddresses().get(0))
        .withPorts(s.getPorts().get(1), s.getPorts().get(0)).build();
    assertTrue(EndpointSubsets.same(subsets, List.of(reversed)));
    assertFalse(EndpointSubsets.same(subsets, List.of()));
    assertTrue(EndpointSubsets.same(List.of(), null));
  }
}
