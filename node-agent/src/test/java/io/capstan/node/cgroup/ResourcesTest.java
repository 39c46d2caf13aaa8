package io.capstan.node.cgroup;

import static io.capstan.node.cgroup.PodSpecs.container;
import static io.capstan.node.cgroup.PodSpecs.noResources;
import static io.capstan.node.cgroup.PodSpecs.pod;
import static io.capstan.node.cgroup.PodSpecs.res;
import static io.capstan.node.cgroup.PodSpecs.sidecar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.PodResources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcesTest {

    @Test
    void quantities() {
        assertEquals(500, Resources.millis(new Quantity("500m")));
        assertEquals(1000, Resources.millis(new Quantity("1")));
        assertEquals(100, Resources.millis(new Quantity("0.1")));
        assertEquals(1500, Resources.millis(new Quantity("1.5")));
        assertEquals(1, Resources.millis(new Quantity("0.0001")), "rounded up, as MilliValue does");
        assertEquals(67_108_864, Resources.bytes(new Quantity("64Mi")));
        assertEquals(1_000_000_000, Resources.bytes(new Quantity("1G")));
        assertEquals(1_073_741_824, Resources.bytes(new Quantity("1Gi")));
        assertEquals(129_000_000, Resources.bytes(new Quantity("129M")));
        assertEquals(128_974_848, Resources.bytes(new Quantity("123Mi")));
        assertEquals(0, Resources.bytes(null));
    }

    @Test
    void containerResources() {
        assertEquals(new ContainerResources(67_108_864, 500, 250, 0), Resources.forContainer(container("a",
                res("cpu", "250m", "memory", "32Mi"), res("cpu", "500m", "memory", "64Mi"))));
        assertEquals(new ContainerResources(1_000_000_000, 1000, 1000, 0),
                Resources.forContainer(container("a", res(), res("cpu", "1", "memory", "1G"))), "request defaults to the limit");
        assertEquals(new ContainerResources(0, 0, 100, 0), Resources.forContainer(container("a", res("cpu", "100m"), res())));
        assertEquals(ContainerResources.none(), Resources.forContainer(noResources("a")));
    }

    @Test
    void guaranteedPodSumsItsContainers() {
        Pod p = pod(container("a", res(), res("cpu", "500m", "memory", "64Mi")),
                container("b", res(), res("cpu", "1", "memory", "128Mi")));
        assertEquals(new PodResources("Guaranteed", 192L << 20, 1500, 1500), Resources.forPod(p));
    }

    @Test
    void burstablePodGetsOnlyTheLimitsEveryContainerDeclares() {
        Pod p = pod(container("a", res("cpu", "100m", "memory", "32Mi"), res("cpu", "500m", "memory", "64Mi")),
                container("b", res("cpu", "200m"), res("memory", "16Mi")));
        assertEquals(new PodResources("Burstable", 80L << 20, 0, 300), Resources.forPod(p),
                "b has no cpu limit: no pod quota; both have memory limits: their sum");
    }

    @Test
    void bestEffortPod() {
        assertEquals(PodResources.bestEffort(), Resources.forPod(pod(noResources("a"), noResources("b"))));
    }

    @Test
    void initContainersAndSidecars() {
        // The largest init container wins over the sum of the app containers...
        Pod p = pod(List.of(container("app", res("cpu", "100m"), res("cpu", "200m", "memory", "64Mi"))),
                List.of(container("init", res("cpu", "1"), res("cpu", "2", "memory", "256Mi"))));
        assertEquals(new PodResources("Burstable", 256L << 20, 2000, 1000), Resources.forPod(p));
        // ...and a sidecar runs alongside both the later init containers and the app containers.
        Pod s = pod(List.of(container("app", res("cpu", "100m"), res())),
                List.of(sidecar(container("proxy", res("cpu", "50m"), res())), container("init", res("cpu", "120m"), res())));
        assertEquals(new PodResources("Burstable", 0, 0, 170), Resources.forPod(s), "max(100+50, 120+50)");
    }

    @Test
    void overheadIsAdded() {
        Pod p = new PodBuilder(pod(container("a", res(), res("cpu", "1", "memory", "64Mi"))))
                .editSpec().withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi"))).endSpec().build();
        assertEquals(new PodResources("Guaranteed", 184L << 20, 1250, 1250), Resources.forPod(p));
    }

    @Test
    void badQuantity() {
        assertThrows(IllegalArgumentException.class, () -> Resources.forContainer(container("a", res(), res("cpu", "lots"))));
    }
}
