package io.capstan.controllers.endpointslice;

import static io.capstan.controllers.testing.ServiceFixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.Edits;
import io.capstan.controllers.testing.ServiceFixtures;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller against a real API server, through the Fabric8 client. */
class EndpointSliceReconcilerIT {
  static final Duration STEADY = Duration.ofSeconds(2);
  static ControllerFixture fixture;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> {
      m.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1")
          .addToLabels(EndpointSliceReconciler.ZONE_LABEL, "zone-a").endMetadata().build()).create();
      m.register(EndpointSliceReconciler.controller(m, 2));
    });
    client = fixture.client;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static Pod pod(String ns, String name, String app, String ip, boolean ready) {
    return ServiceFixtures.pod(client, ns, name, app, 8080, ip, ready);
  }

  static List<EndpointSlice> slices(String ns, String service) {
    return client.resources(EndpointSlice.class).inNamespace(ns)
        .withLabel(EndpointSliceReconciler.SERVICE_NAME_LABEL, service).list().getItems();
  }

  /** IP to "ready/serving/terminating" over every slice of {@code service}. */
  static Map<String, String> conditions(String ns, String service) {
    Map<String, String> out = new TreeMap<>();
    for (EndpointSlice s : slices(ns, service)) {
      for (Endpoint e : s.getEndpoints()) {
        out.put(e.getAddresses().get(0), e.getConditions().getReady() + "/" + e.getConditions().getServing() + "/"
            + e.getConditions().getTerminating());
      }
    }
    return out;
  }

  static void awaitConditions(String ns, String service, Map<String, String> want) {
    Await.until(service + " slices say " + want, () -> conditions(ns, service).equals(want),
        () -> String.valueOf(slices(ns, service)));
  }

  @Test
  void slicesFollowPodsReadinessAndLabelsAndGoWithTheService() {
    String ns = Clients.namespace(client, "eps-basic");
    pod(ns, "a", "web", "10.1.0.1", true);
    pod(ns, "b", "web", "10.1.0.2", true);
    Pod c = pod(ns, "c", "web", "10.1.0.3", false);
    pod(ns, "other", "db", "10.1.0.9", true);
    client.services().resource(service(ns, "web", "web")).create();
    awaitConditions(ns, "web", Map.of("10.1.0.1", "true/true/false", "10.1.0.2", "true/true/false",
        "10.1.0.3", "false/false/false"));

    List<EndpointSlice> all = slices(ns, "web");
    assertEquals(1, all.size());
    EndpointSlice slice = all.get(0);
    assertTrue(slice.getMetadata().getName().startsWith("web-"), slice.getMetadata().getName());
    assertEquals("IPv4", slice.getAddressType());
    assertEquals(Map.of("team", "a", EndpointSliceReconciler.SERVICE_NAME_LABEL, "web",
        EndpointSliceReconciler.MANAGED_BY_LABEL, EndpointSliceReconciler.MANAGED_BY), slice.getMetadata().getLabels());
    OwnerReference owner = slice.getMetadata().getOwnerReferences().get(0);
    assertEquals("Service", owner.getKind());
    assertEquals("web", owner.getName());
    assertTrue(owner.getController());
    assertEquals(1, slice.getPorts().size());
    assertEquals("web", slice.getPorts().get(0).getName());
    assertEquals(8080, slice.getPorts().get(0).getPort());
    assertEquals("TCP", slice.getPorts().get(0).getProtocol());
    Endpoint a = slice.getEndpoints().stream().filter(e -> e.getAddresses().contains("10.1.0.1")).findFirst().orElseThrow();
    assertEquals("node-1", a.getNodeName());
    assertEquals("zone-a", a.getZone());
    assertEquals("Pod", a.getTargetRef().getKind());
    assertEquals("a", a.getTargetRef().getName());

    // Nothing changed: no write.
    String rv = slice.getMetadata().getResourceVersion();
    Edits.retrying(() -> client.pods().inNamespace(ns).withName("a").edit(p -> new PodBuilder(p).editMetadata()
        .addToAnnotations("touched", "yes").endMetadata().build()));
    Await.holds("the slice stays unwritten",
        () -> slices(ns, "web").size() == 1 && rv.equals(slices(ns, "web").get(0).getMetadata().getResourceVersion()),
        STEADY, () -> String.valueOf(slices(ns, "web")));

    ServiceFixtures.setStatus(client, client.pods().resource(c).get(), "10.1.0.3", true);
    awaitConditions(ns, "web", Map.of("10.1.0.1", "true/true/false", "10.1.0.2", "true/true/false",
        "10.1.0.3", "true/true/false"));
    assertEquals(List.of(slice.getMetadata().getName()),
        slices(ns, "web").stream().map(s -> s.getMetadata().getName()).toList(), "updated in place");

    Edits.retrying(() -> client.pods().inNamespace(ns).withName("b").edit(p -> new PodBuilder(p).editMetadata()
        .addToLabels("app", "elsewhere").endMetadata().build()));
    awaitConditions(ns, "web", Map.of("10.1.0.1", "true/true/false", "10.1.0.3", "true/true/false"));

    client.pods().inNamespace(ns).withName("c").withGracePeriod(0).delete();
    awaitConditions(ns, "web", Map.of("10.1.0.1", "true/true/false"));

    client.services().inNamespace(ns).withName("web").delete();
    Await.until("the slices go with the service", () -> slices(ns, "web").isEmpty());
  }

  @Test
  void aServiceWithoutPodsHasOnePlaceholderSlice() {
    String ns = Clients.namespace(client, "eps-empty");
    client.services().resource(service(ns, "web", "web")).create();
    Await.until("a placeholder slice", () -> slices(ns, "web").size() == 1);
    EndpointSlice placeholder = slices(ns, "web").get(0);
    assertTrue(placeholder.getEndpoints() == null || placeholder.getEndpoints().isEmpty());
    Await.holds("only one placeholder, unwritten", () -> slices(ns, "web").size() == 1
        && placeholder.getMetadata().getResourceVersion().equals(slices(ns, "web").get(0).getMetadata().getResourceVersion()),
        STEADY, () -> String.valueOf(slices(ns, "web")));

    pod(ns, "a", "web", "10.1.1.1", true);
    awaitConditions(ns, "web", Map.of("10.1.1.1", "true/true/false"));
    // The placeholder has no ports, so a slice with the pod's ports replaces it.
    Await.until("the placeholder is gone", () -> slices(ns, "web").size() == 1, () -> String.valueOf(slices(ns, "web")));
  }

  @Test
  void slicesOfAnEarlierServiceGoAndOthersSlicesStay() {
    String ns = Clients.namespace(client, "eps-stale");
    EndpointSlice stale = client.resources(EndpointSlice.class).resource(new EndpointSliceBuilder().withNewMetadata()
        .withNamespace(ns).withName("web-stale")
        .addToLabels(EndpointSliceReconciler.SERVICE_NAME_LABEL, "web")
        .addToLabels(EndpointSliceReconciler.MANAGED_BY_LABEL, EndpointSliceReconciler.MANAGED_BY)
        .addNewOwnerReference().withApiVersion("v1").withKind("Service").withName("web").withUid("earlier-uid")
        .withController(true).endOwnerReference().endMetadata().withAddressType("IPv4").build()).create();
    EndpointSlice users = client.resources(EndpointSlice.class).resource(new EndpointSliceBuilder().withNewMetadata()
        .withNamespace(ns).withName("web-mine").addToLabels(EndpointSliceReconciler.SERVICE_NAME_LABEL, "web")
        .endMetadata().withAddressType("IPv4").addNewEndpoint().withAddresses("192.0.2.7").endEndpoint().build())
        .create();
    pod(ns, "a", "web", "10.1.3.1", true);
    String uid = client.services().resource(service(ns, "web", "web")).create().getMetadata().getUid();
    Await.until("the stale slice is replaced by one of this service", () -> {
      List<String> names = slices(ns, "web").stream().map(x -> x.getMetadata().getName()).toList();
      return !names.contains(stale.getMetadata().getName()) && names.size() == 2;
    }, () -> String.valueOf(slices(ns, "web")));
    EndpointSlice ours = slices(ns, "web").stream().filter(x -> !x.getMetadata().getName().equals("web-mine"))
        .findFirst().orElseThrow();
    assertEquals(uid, ours.getMetadata().getOwnerReferences().get(0).getUid());
    assertEquals(users.getMetadata().getResourceVersion(), client.resources(EndpointSlice.class).inNamespace(ns)
        .withName("web-mine").get().getMetadata().getResourceVersion(), "a slice managed by someone else is untouched");
  }

  @Test
  void moreThanAHundredPodsSpreadOverSlicesOfAtMostAHundred() {
    String ns = Clients.namespace(client, "eps-many");
    for (int i = 0; i < 120; i++) {
      pod(ns, "p" + i, "web", "10.1.2." + i, true);
    }
    client.services().resource(service(ns, "web", "web")).create();
    Await.until("120 endpoints", () -> conditions(ns, "web").size() == 120, () -> String.valueOf(conditions(ns, "web").size()));
    List<EndpointSlice> all = slices(ns, "web");
    assertEquals(2, all.size());
    assertTrue(all.stream().allMatch(s -> s.getEndpoints().size() <= SlicePlanner.MAX_ENDPOINTS));
    Set<String> names = all.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    Await.holds("no further slices", () -> slices(ns, "web").stream().map(s -> s.getMetadata().getName())
        .collect(Collectors.toSet()).equals(names), STEADY, () -> String.valueOf(slices(ns, "web").size()));
    assertFalse(names.isEmpty());
  }
}
