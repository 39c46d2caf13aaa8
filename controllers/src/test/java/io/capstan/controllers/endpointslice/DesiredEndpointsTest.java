package io.capstan.controllers.endpointslice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoints a Service's slices should hold. */
class DesiredEndpointsTest {
  static Service headless() {
    return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("db").endMetadata()
        .withNewSpec().withClusterIP("None").addToSelector("app", "db")
        .addNewPort().withName("sql").withPort(5432).withTargetPort(new IntOrString(5432)).endPort().endSpec().build();
  }

  static Pod pod(String name, boolean ready, boolean terminating, String... ips) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid(name + "-uid")
        .endMetadata().withNewSpec().withHostname(name).withSubdomain("db").withNodeName("n1")
        .addNewContainer().withName("c").endContainer().endSpec()
        .withNewStatus().withPodIP(ips[0]).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .endCondition().endStatus();
    for (String ip : ips) {
      b.editStatus().addNewPodIP().withIp(ip).endPodIP().endStatus();
    }
    if (terminating) {
      b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata();
    }
    return b.build();
  }

  @Test
  void aHeadlessServiceWithoutFamiliesTakesItsPodsFamilies() {
    List<Pod> pods = List.of(pod("a", true, false, "10.0.0.1", "fd00::1"));
    assertEquals(List.of("IPv4", "IPv6"), DesiredEndpoints.addressTypes(headless(), pods));
    Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> v6 = DesiredEndpoints.of(headless(), pods, "IPv6", n -> "z1");
    Endpoint e = v6.values().iterator().next().get("a-uid");
    assertEquals(List.of("fd00::1"), e.getAddresses());
    assertEquals("a", e.getHostname());
    assertEquals("z1", e.getZone());
    assertEquals(5432, v6.keySet().iterator().next().get(0).port());
  }

  @Test
  void aTerminatingPodStaysListedAsServingButNotReady() {
    Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> v4 =
        DesiredEndpoints.of(headless(), List.of(pod("a", true, true, "10.0.0.1")), "IPv4", n -> null);
    Endpoint e = v4.values().iterator().next().get("a-uid");
    assertFalse(e.getConditions().getReady());
    assertTrue(e.getConditions().getServing());
    assertTrue(e.getConditions().getTerminating());
  }

  @Test
  void publishNotReadyAddressesMakesEveryEndpointReady() {
    Service svc = new ServiceBuilder(headless()).editSpec().withPublishNotReadyAddresses(true).endSpec().build();
    Endpoint e = DesiredEndpoints.of(svc, List.of(pod("a", false, false, "10.0.0.1")), "IPv4", n -> null)
        .values().iterator().next().get("a-uid");
    assertTrue(e.getConditions().getReady());
    assertFalse(e.getConditions().getServing());
  }
}
