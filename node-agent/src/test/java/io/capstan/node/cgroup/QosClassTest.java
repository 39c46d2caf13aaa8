package io.capstan.node.cgroup;

import static io.capstan.node.cgroup.PodSpecs.container;
import static io.capstan.node.cgroup.PodSpecs.noResources;
import static io.capstan.node.cgroup.PodSpecs.pod;
import static io.capstan.node.cgroup.PodSpecs.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the Kubernetes "Configure Quality of Service for Pods" task, and its rules. */
class QosClassTest {

    @Test
    void guaranteedWhenRequestsEqualLimits() {
        assertEquals(QosClass.GUARANTEED, QosClass.of(pod(container("qos-demo-ctr",
                res("memory", "200Mi", "cpu", "700m"), res("memory", "200Mi", "cpu", "700m")))));
    }

    @Test
    void guaranteedWhenOnlyLimitsAreSetBecauseRequestsDefaultToThem() {
        assertEquals(QosClass.GUARANTEED, QosClass.of(pod(container("a", res(), res("memory", "1Gi", "cpu", "1")))));
    }

    @Test
    void equalQuantitiesInDifferentNotations() {
        assertEquals(QosClass.GUARANTEED, QosClass.of(pod(container("a",
                res("memory", "1024Mi", "cpu", "1000m"), res("memory", "1Gi", "cpu", "1")))));
    }

    @Test
    void burstableWhenARequestIsBelowItsLimit() {
        assertEquals(QosClass.BURSTABLE, QosClass.of(pod(container("qos-demo-2-ctr",
                res("memory", "100Mi"), res("memory", "200Mi")))));
    }

    @Test
    void burstableWhenOneLimitIsMissing() {
        assertEquals(QosClass.BURSTABLE, QosClass.of(pod(container("a",
                res("memory", "1Gi", "cpu", "1"), res("memory", "1Gi")))));
    }

    @Test
    void burstableWhenOneOfTwoContainersHasResources() {
        assertEquals(QosClass.BURSTABLE, QosClass.of(pod(noResources("qos-demo-4-ctr-1"),
                container("qos-demo-4-ctr-2", res("memory", "200Mi"), res()))));
    }

    @Test
    void bestEffortWithoutAnyRequestOrLimit() {
        assertEquals(QosClass.BEST_EFFORT, QosClass.of(pod(noResources("qos-demo-3-ctr"))));
        assertEquals(QosClass.BEST_EFFORT, QosClass.of(pod(container("a", res("cpu", "0"), res("memory", "0")))),
                "zero quantities count as unset");
    }

    @Test
    void extendedResourcesDoNotCount() {
        assertEquals(QosClass.BEST_EFFORT, QosClass.of(pod(container("a",
                res("example.com/gpu", "1", "ephemeral-storage", "1Gi"), res("example.com/gpu", "1")))));
    }

    @Test
    void initContainersCount() {
        var guaranteed = container("app", res(), res("memory", "64Mi", "cpu", "500m"));
        assertEquals(QosClass.BURSTABLE, QosClass.of(pod(List.of(guaranteed),
                List.of(container("init", res("cpu", "100m"), res())))), "an init container without limits");
        assertEquals(QosClass.GUARANTEED, QosClass.of(pod(List.of(guaranteed),
                List.of(container("init", res(), res("memory", "32Mi", "cpu", "100m"))))));
        assertEquals(QosClass.BURSTABLE, QosClass.of(pod(List.of(noResources("app")),
                List.of(container("init", res("memory", "32Mi"), res())))));
    }

    @Test
    void parseNames() {
        assertEquals(QosClass.BEST_EFFORT, QosClass.parse("BestEffort"));
        assertEquals("Burstable", QosClass.BURSTABLE.value());
        assertThrows(IllegalArgumentException.class, () -> QosClass.parse("burstable"));
    }
}
