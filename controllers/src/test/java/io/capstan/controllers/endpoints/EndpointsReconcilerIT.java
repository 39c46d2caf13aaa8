package io.capstan.controllers.endpoints;

import static io.capstan.controllers.testing.ServiceFixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.capstan.controllers.testing.ServiceFixtures;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Endpoints controller against a real API server, through the Fabric8 client. */
class EndpointsReconcilerIT {
  static final Duration STEADY = Duration.ofSeconds(2);
  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(EndpointsReconciler.controller(m, 2)));
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static Pod pod(String ns, String name, String app, int port, String ip, boolean ready) {
    return ServiceFixtures.pod(client, ns, name, app, port, ip, ready);
  }

  static Endpoints endpoints(String ns, String name) {
    return client.endpoints().inNamespace(ns).withName(name).get();
  }

  static Set<String> ips(Endpoints ep, boolean ready) {
    Set<String> ips = new TreeSet<>();
    if (ep == null || ep.getSubsets() == null) {
      return ips;
    }
    for (EndpointSubset s : ep.getSubsets()) {
      List<EndpointAddress> list = ready ? s.getAddresses() : s.getNotReadyAddresses();
      if (list != null) {
        list.forEach(a -> ips.add(a.getIp()));
      }
    }
    return ips;
  }

  static void awaitIps(String ns, String name, Set<String> ready, Set<String> notReady) {
    Await.until(name + " lists ready " + ready + " and not ready " + notReady,
        () -> ips(endpoints(ns, name), true).equals(ready) && ips(endpoints(ns, name), false).equals(notReady),
        () -> String.valueOf(endpoints(ns, name)));
  }

  @Test
  void listsReadyAndNotReadyPodsWithTheirNamedPortAndFollowsChanges() {
    String ns = Clients.namespace(client, "ep-basic");
    pod(ns, "a", "web", 8080, "10.0.0.1", true);
    pod(ns, "b", "web", 8080, "10.0.0.2", true);
    Pod c = pod(ns, "c", "web", 8080, "10.0.0.3", false);
    pod(ns, "other", "db", 8080, "10.0.0.9", true);
    client.services().resource(service(ns, "web", "web")).create();
    awaitIps(ns, "web", Set.of("10.0.0.1", "10.0.0.2"), Set.of("10.0.0.3"));

    Endpoints ep = endpoints(ns, "web");
    assertEquals(Map.of("team", "a"), ep.getMetadata().getLabels());
    assertTrue(ep.getMetadata().getOwnerReferences() == null || ep.getMetadata().getOwnerReferences().isEmpty(),
        "upstream's Endpoints carry no ownerReference");
    assertEquals(1, ep.getSubsets().size());
    EndpointSubset subset = ep.getSubsets().get(0);
    assertEquals(1, subset.getPorts().size());
    assertEquals("web", subset.getPorts().get(0).getName());
    assertEquals(8080, subset.getPorts().get(0).getPort());
    assertEquals("TCP", subset.getPorts().get(0).getProtocol());
    EndpointAddress a = subset.getAddresses().stream().filter(x -> x.getIp().equals("10.0.0.1")).findFirst().orElseThrow();
    assertEquals("node-1", a.getNodeName());
    assertEquals("Pod", a.getTargetRef().getKind());
    assertEquals(ns, a.getTargetRef().getNamespace());
    assertEquals("a", a.getTargetRef().getName());
    assertEquals(client.pods().inNamespace(ns).withName("a").get().getMetadata().getUid(), a.getTargetRef().getUid());

    // Nothing changed: no write.
    String rv = ep.getMetadata().getResourceVersion();
    Edits.retrying(() -> client.pods().inNamespace(ns).withName("other").edit(p -> new PodBuilder(p).editMetadata()
        .addToAnnotations("touched", "yes").endMetadata().build()));
    Edits.retrying(() -> client.pods().inNamespace(ns).withName("a").edit(p -> new PodBuilder(p).editMetadata()
        .addToAnnotations("touched", "yes").endMetadata().build()));
    Await.holds("the endpoints stay unwritten", () -> rv.equals(endpoints(ns, "web").getMetadata().getResourceVersion()),
        STEADY, () -> String.valueOf(endpoints(ns, "web")));

    ServiceFixtures.setStatus(client, client.pods().resource(c).get(), "10.0.0.3", true);
    awaitIps(ns, "web", Set.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), Set.of());

    Edits.retrying(() -> client.pods().inNamespace(ns).withName("b").edit(p -> new PodBuilder(p).editMetadata()
        .addToLabels("app", "elsewhere").endMetadata().build()));
    awaitIps(ns, "web", Set.of("10.0.0.1", "10.0.0.3"), Set.of());

    client.pods().inNamespace(ns).withName("c").withGracePeriod(0).delete();
    awaitIps(ns, "web", Set.of("10.0.0.1"), Set.of());

    client.services().inNamespace(ns).withName("web").delete();
    Await.until("the endpoints are deleted with the service", () -> endpoints(ns, "web") == null);
  }

  @Test
  void podsResolvingANamedPortDifferentlyLandInDifferentSubsets() {
    String ns = Clients.namespace(client, "ep-ports");
    pod(ns, "a", "web", 8080, "10.0.1.1", true);
    pod(ns, "b", "web", 9090, "10.0.1.2", false);
    client.services().resource(service(ns, "web", "web")).create();
    awaitIps(ns, "web", Set.of("10.0.1.1"), Set.of("10.0.1.2"));
    Map<Integer, Set<String>> byPort = endpoints(ns, "web").getSubsets().stream().collect(Collectors.toMap(
        s -> s.getPorts().get(0).getPort(),
        s -> java.util.stream.Stream.concat(s.getAddresses().stream(), s.getNotReadyAddresses().stream())
            .map(EndpointAddress::getIp).collect(Collectors.toSet())));
    assertEquals(Map.of(8080, Set.of("10.0.1.1"), 9090, Set.of("10.0.1.2")), byPort);
  }

  @Test
  void publishNotReadyAddressesListsEveryPodAsReadyAndHeadlessIsLabelled() {
    String ns = Clients.namespace(client, "ep-publish");
    pod(ns, "a", "web", 8080, "10.0.2.1", false);
    Service svc = new ServiceBuilder(service(ns, "web", "web")).editSpec().withPublishNotReadyAddresses(true)
        .withClusterIP("None").endSpec().build();
    client.services().resource(svc).create();
    awaitIps(ns, "web", Set.of("10.0.2.1"), Set.of());
    assertEquals("", endpoints(ns, "web").getMetadata().getLabels().get(ServicePods.HEADLESS_LABEL));
  }

  @Test
  void leavesTheEndpointsOfAServiceWithoutSelectorAlone() {
    String ns = Clients.namespace(client, "ep-manual");
    client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName("ext").endMetadata()
        .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
    Endpoints mine = client.endpoints().resource(new EndpointsBuilder().withNewMetadata().withNamespace(ns)
        .withName("ext").endMetadata().addNewSubset().addNewAddress().withIp("192.0.2.1").endAddress()
        .addNewPort().withPort(80).endPort().endSubset().build()).create();
    pod(ns, "a", "web", 8080, "10.0.3.1", true);
    Await.holds("user endpoints untouched", () -> mine.getMetadata().getResourceVersion()
        .equals(endpoints(ns, "ext").getMetadata().getResourceVersion()), STEADY, () -> "");
    assertTrue(ips(endpoints(ns, "ext"), true).contains("192.0.2.1"));
  }
}
