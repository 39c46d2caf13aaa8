package io.capstan.controllers.scheduler;

import static io.capstan.controllers.scheduler.Fixtures.info;
import static io.capstan.controllers.scheduler.Fixtures.node;
import static io.capstan.controllers.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePortsFilterTest {
  static Pod withPort(String name, String ip, String protocol, int port) {
    ContainerPort p = new ContainerPort(80, ip, port, null, protocol);
    return pod(name, null, null).editSpec().editFirstContainer().withPorts(p).endContainer().endSpec().build();
  }

  @Test
  void hostPortProtocolAndIp() {
    var filter = new NodePortsFilter();
    NodeInfo n = info(node("n", "1", "1Gi").build(), withPort("a", "10.0.0.1", "TCP", 8080));
    assertEquals(List.of(NodePortsFilter.REASON), filter.filter(info(withPort("p", null, null, 8080)), n, null));
    assertEquals(List.of(NodePortsFilter.REASON), filter.filter(info(withPort("p", "10.0.0.1", "TCP", 8080)), n, null));
    assertEquals(List.of(), filter.filter(info(withPort("p", "10.0.0.2", "TCP", 8080)), n, null));
    assertEquals(List.of(), filter.filter(info(withPort("p", null, "UDP", 8080)), n, null));
    assertEquals(List.of(), filter.filter(info(withPort("p", null, null, 8081)), n, null));
    assertEquals(List.of(), filter.filter(info(pod("p", null, null).build()), n, null));
  }
}
