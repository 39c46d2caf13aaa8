package io.capstan.node.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortMappingTest {

    private static Pod pod(boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withHostNetwork(hostNetwork)
                .addNewInitContainer().withName("init").addNewPort().withContainerPort(1).withHostPort(1).endPort().endInitContainer()
                .addNewInitContainer().withName("sidecar").withRestartPolicy("Always")
                        .addNewPort().withContainerPort(9090).withHostPort(19090).endPort().endInitContainer()
                .addNewContainer().withName("app")
                        .addNewPort().withContainerPort(8080).withHostPort(18080).withProtocol("UDP").withHostIP("10.0.0.5").endPort()
                        .addNewPort().withContainerPort(8081).endPort()
                .endContainer().endSpec().build();
    }

    @Test
    void hostPortsOfContainersAndSidecars() {
        assertEquals(List.of(new PortMapping(18080, 8080, "udp", "10.0.0.5"), new PortMapping(19090, 9090, "tcp", null)),
                PortMapping.of(pod(false)));
        assertEquals(List.of(), PortMapping.of(pod(true)));
        assertEquals(Map.of("hostPort", 18080, "containerPort", 8080, "protocol", "udp", "hostIP", "10.0.0.5"),
                new PortMapping(18080, 8080, "UDP", "10.0.0.5").toCni());
        assertThrows(IllegalArgumentException.class, () -> new PortMapping(0, 80, "tcp", null));
    }
}
