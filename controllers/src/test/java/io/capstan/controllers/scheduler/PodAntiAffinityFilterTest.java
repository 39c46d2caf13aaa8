package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodAntiAffinityFilterTest {
  final PodAntiAffinityFilter filter = new PodAntiAffinityFilter();

  static Pod avoiding(String name, String app, String topologyKey, String avoidApp) {
    return pod(name, null, null).editMetadata().addToLabels("app", app).endMetadata().editSpec()
        .withNewAffinity().withNewPodAntiAffinity().addToRequiredDuringSchedulingIgnoredDuringExecution(
            new PodAffinityTermBuilder().withTopologyKey(topologyKey)
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", avoidApp).build()).build())
        .endPodAntiAffinity().endAffinity().endSpec().build();
  }

  static Pod plain(String name, String app) {
    return pod(name, null, null).editMetadata().addToLabels("app", app).endMetadata().build();
  }

  SchedulerCache cluster() {
    SchedulerCache cache = new SchedulerCache();
    cache.putNode(node("a1", "1", "1Gi").editMetadata().addToLabels("zone", "a").endMetadata().build());
    cache.putNode(node("a2", "1", "1Gi").editMetadata().addToLabels("zone", "a").endMetadata().build());
    cache.putNode(node("b1", "1", "1Gi").editMetadata().addToLabels("zone", "b").endMetadata().build());
    cache.putNode(node("x", "1", "1Gi").build());
    return cache;
  }

  List<String> on(SchedulerCache cache, String node, Pod pod) {
    NodeInfo n = cache.nodes().stream().filter(i -> i.name.equals(node)).findFirst().orElseThrow();
    return filter.filter(new PodInfo(pod), n, cache);
  }

  @Test
  void incomingPodAvoidsMatchingPodsInItsTopologyDomain() {
    SchedulerCache cache = cluster();
    cache.assume(new PodInfo(plain("db", "db")), "a1");
    Pod web = avoiding("web", "web", "zone", "db");
    assertEquals(List.of(PodAntiAffinityFilter.INCOMING), on(cache, "a1", web));
    assertEquals(List.of(PodAntiAffinityFilter.INCOMING), on(cache, "a2", web));
    assertEquals(List.of(), on(cache, "b1", web));
    assertEquals(List.of(), on(cache, "x", web), "a node without the topology label is in no domain");
    Pod other = avoiding("w2", "web", "zone", "cache");
    assertEquals(List.of(), on(cache, "a1", other));
  }

  @Test
  void existingPodsAntiAffinityRejectsTheIncomingPod() {
    SchedulerCache cache = cluster();
    cache.assume(new PodInfo(avoiding("db", "db", "kubernetes.io/hostname-like-zone", "web")), "b1");
    cache.assume(new PodInfo(avoiding("db2", "db", "zone", "web")), "a1");
    assertEquals(List.of(PodAntiAffinityFilter.EXISTING), on(cache, "a2", plain("web", "web")));
    assertEquals(List.of(), on(cache, "b1", plain("web", "web")));
    assertEquals(List.of(), on(cache, "a2", plain("api", "api")));
  }

  @Test
  void namespacesOfTheTerm() {
    SchedulerCache cache = cluster();
    cache.assume(new PodInfo(plain("db", "db").edit().editMetadata().withNamespace("other").endMetadata().build()), "a1");
    assertEquals(List.of(), on(cache, "a1", avoiding("web", "web", "zone", "db")));
    Pod allNamespaces = avoiding("web", "web", "zone", "db").edit().editSpec().editAffinity().editPodAntiAffinity()
        .editFirstRequiredDuringSchedulingIgnoredDuringExecution().withNewNamespaceSelector().endNamespaceSelector()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec().build();
    assertEquals(List.of(PodAntiAffinityFilter.INCOMING), on(cache, "a1", allNamespaces));
  }
}
