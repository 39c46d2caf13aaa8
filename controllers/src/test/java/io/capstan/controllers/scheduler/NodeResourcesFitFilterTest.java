package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.info;
import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeResourcesFitFilterTest {
  final NodeResourcesFitFilter filter = new NodeResourcesFitFilter();

  @Test
  void fitsWhatIsLeftAfterThePodsOnTheNode() {
    NodeInfo n = info(node("n", "2", "4Gi").build(), pod("a", "1500m", "1Gi").build());
    assertEquals(List.of(), filter.filter(info(pod("p", "500m", "3Gi").build()), n, null));
    assertEquals(List.of("Insufficient cpu"), filter.filter(info(pod("p", "501m", "1Gi").build()), n, null));
    assertEquals(List.of("Insufficient cpu", "Insufficient memory"),
        filter.filter(info(pod("p", "1", "4Gi").build()), n, null));
  }

  @Test
  void podCountAndEphemeralStorageAndExtendedResources() {
    var node = node("n", "2", "4Gi").editStatus().addToAllocatable("pods", new Quantity("1"))
        .addToAllocatable("ephemeral-storage", new Quantity("10Gi")).endStatus().build();
    NodeInfo empty = info(node);
    var big = pod("p", null, null).editSpec().editFirstContainer().editResources()
        .addToRequests("ephemeral-storage", new Quantity("11Gi")).addToLimits("example.com/gpu", new Quantity("1"))
        .endResources().endContainer().endSpec().build();
    assertEquals(List.of("Insufficient ephemeral-storage", "Insufficient example.com/gpu"), filter.filter(info(big), empty, null));
    NodeInfo full = info(node, pod("a", null, null).build());
    assertEquals(List.of("Too many pods"), filter.filter(info(pod("p", null, null).build()), full, null));
  }

  @Test
  void initContainersCountAtTheirLargest() {
    var p = pod("p", "500m", null).editSpec().addNewInitContainer().withName("i").withNewResources()
        .addToRequests("cpu", new Quantity("3")).endResources().endInitContainer().endSpec().build();
    assertEquals(List.of("Insufficient cpu"), filter.filter(info(p), info(node("n", "2", "4Gi").build()), null));
  }
}
