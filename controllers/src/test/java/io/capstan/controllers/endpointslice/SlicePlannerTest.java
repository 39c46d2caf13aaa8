package io.capstan.controllers.endpointslice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Planning slice writes: in place when possible, at most 100 endpoints, one placeholder. */
class SlicePlannerTest {
  static final Service SERVICE = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web")
      .withUid("svc-uid").endMetadata().build();
  static final Map<String, String> LABELS = Map.of(EndpointSliceReconciler.SERVICE_NAME_LABEL, "web");
  static final List<SliceKeys.PortKey> HTTP = List.of(new SliceKeys.PortKey("http", 8080, "TCP", null));
  static final List<SliceKeys.PortKey> ALT = List.of(new SliceKeys.PortKey("http", 9090, "TCP", null));

  static Endpoint ep(String uid, boolean ready) {
    return new EndpointBuilder().withAddresses("10.0.0." + uid.hashCode() % 200).withNewConditions().withReady(ready)
        .withServing(ready).withTerminating(false).endConditions().withNewTargetRef().withKind("Pod").withName(uid)
        .withUid(uid).endTargetRef().build();
  }

  static EndpointSlice slice(String name, List<SliceKeys.PortKey> ports, Endpoint... endpoints) {
    return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(name).withResourceVersion("7")
        .withLabels(LABELS).endMetadata().withAddressType("IPv4").withPorts(DesiredEndpoints.toPorts(ports))
        .withEndpoints(endpoints).build();
  }

  static Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> desired(List<SliceKeys.PortKey> ports, Endpoint... eps) {
    Map<String, Endpoint> byKey = new LinkedHashMap<>();
    for (Endpoint e : eps) {
      byKey.put(SliceKeys.endpointKey(e), e);
    }
    Map<List<SliceKeys.PortKey>, Map<String, Endpoint>> out = new LinkedHashMap<>();
    out.put(ports, byKey);
    return out;
  }

  @Test
  void aChangedEndpointAndANewOneUpdateTheSliceInPlace() {
    EndpointSlice have = slice("web-abc", HTTP, ep("a", true), ep("b", false));
    SlicePlanner.Plan plan = SlicePlanner.plan(SERVICE, "IPv4", desired(HTTP, ep("a", true), ep("b", true), ep("c", true)),
        List.of(have), false, LABELS);
    assertEquals(List.of(), plan.creates());
    assertEquals(List.of(), plan.deletes());
    assertEquals(1, plan.updates().size());
    EndpointSlice updated = plan.updates().get(0);
    assertEquals("web-abc", updated.getMetadata().getName());
    assertEquals("7", updated.getMetadata().getResourceVersion());
    assertEquals(List.of("a", "b", "c"), updated.getEndpoints().stream().map(e -> e.getTargetRef().getUid()).toList());
    assertTrue(updated.getEndpoints().get(1).getConditions().getReady());
  }

  @Test
  void nothingChangedPlansNothing() {
    EndpointSlice have = slice("web-abc", HTTP, ep("a", true), ep("b", false));
    assertTrue(SlicePlanner.plan(SERVICE, "IPv4", desired(HTTP, ep("b", false), ep("a", true)), List.of(have), false,
        LABELS).isEmpty());
  }

  @Test
  void aSliceLeftEmptyIsDeletedAndAnotherPortSetGetsItsOwnSlice() {
    EndpointSlice have = slice("web-abc", HTTP, ep("a", true));
    SlicePlanner.Plan plan = SlicePlanner.plan(SERVICE, "IPv4", desired(ALT, ep("a", true)), List.of(have), false, LABELS);
    assertEquals(List.of(have), plan.deletes());
    assertEquals(1, plan.creates().size());
    EndpointSlice created = plan.creates().get(0);
    assertEquals("web-", created.getMetadata().getGenerateName());
    assertEquals(9090, created.getPorts().get(0).getPort());
    assertEquals("svc-uid", created.getMetadata().getOwnerReferences().get(0).getUid());
    assertTrue(created.getMetadata().getOwnerReferences().get(0).getController());
  }

  @Test
  void endpointsBeyondAHundredGoToNewSlicesAndExistingRoomIsFilledFirst() {
    Endpoint[] many = new Endpoint[250];
    for (int i = 0; i < many.length; i++) {
      many[i] = ep("p" + i, true);
    }
    SlicePlanner.Plan fresh = SlicePlanner.plan(SERVICE, "IPv4", desired(HTTP, many), List.of(), false, LABELS);
    assertEquals(List.of(100, 100, 50), fresh.creates().stream().map(s -> s.getEndpoints().size()).toList());

    EndpointSlice partial = slice("web-abc", HTTP, many[0]);
    SlicePlanner.Plan fill = SlicePlanner.plan(SERVICE, "IPv4", desired(HTTP, many), List.of(partial), false, LABELS);
    assertEquals(100, fill.updates().get(0).getEndpoints().size());
    assertEquals(List.of(100, 50), fill.creates().stream().map(s -> s.getEndpoints().size()).toList());
  }

  @Test
  void noEndpointsKeepsOrCreatesOnePlaceholder() {
    SlicePlanner.Plan create = SlicePlanner.plan(SERVICE, "IPv4", Map.of(), List.of(), true, LABELS);
    assertEquals(1, create.creates().size());
    assertTrue(create.creates().get(0).getEndpoints().isEmpty());

    EndpointSlice placeholder = slice("web-abc", List.of());
    assertTrue(SlicePlanner.plan(SERVICE, "IPv4", Map.of(), List.of(placeholder), true, LABELS).isEmpty());

    EndpointSlice used = slice("web-def", HTTP, ep("a", true));
    SlicePlanner.Plan replace = SlicePlanner.plan(SERVICE, "IPv4", Map.of(), List.of(used), true, LABELS);
    assertEquals(List.of(used), replace.deletes());
    assertEquals(1, replace.creates().size());
  }
}
