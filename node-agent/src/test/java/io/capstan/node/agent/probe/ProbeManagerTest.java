package io.capstan.node.agent.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.MutableClock;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.testing.FakeContainerRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The manager's view for the pod status, and its workers' lifetime. */
class ProbeManagerTest {
    final ProbeEvents quiet = new ProbeEvents() {
        @Override
        public void normal(Pod pod, String container, String reason, String message) {}

        @Override
        public void warning(Pod pod, String container, String reason, String message) {}
    };

    @Test
    void readinessAndStartupGateTheStatusAndEndWithThePod() throws Exception {
        MutableClock clock = new MutableClock();
        AtomicBoolean up = new AtomicBoolean();
        Set<String> changed = ConcurrentHashMap.newKeySet();
        try (FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
                ProbeManager probes = new ProbeManager(runtime, clock, quiet, changed::add,
                        (probe, target) -> up.get() ? Outcome.success("") : Outcome.failure("down"))) {
            runtime.runSandbox(new SandboxSpec("uid-1", "ns", "web", "web", null, null));
            ContainerStatus c = runtime.startContainer(new ContainerSpec("uid-1", "app", 0, "busybox:1.36",
                    List.of("sleep", "3600"), List.of(), List.of(), null, null, null, List.of(), false, false));
            var probe = new ProbeBuilder().withNewExec().withCommand("ok").endExec().withPeriodSeconds(1)
                    .withFailureThreshold(1).build();
            Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("uid-1")
                    .endMetadata().withNewSpec().addNewContainer().withName("app").withStartupProbe(probe)
                    .withReadinessProbe(probe).endContainer().addNewContainer().withName("plain").endContainer()
                    .endSpec().build();
            probes.sync(pod, "10.244.0.5");
            var health = probes.health("uid-1");
            assertFalse(health.started("app", c.id()));
            assertFalse(health.ready("app", c.id()));
            assertTrue(health.ready("plain", "any"), "no probes: ready");

            up.set(true);
            Await.until("started and ready", () -> health.started("app", c.id()) && health.ready("app", c.id()));
            assertTrue(changed.contains("uid-1"), "the pod was told");

            probes.retain(Set.of());
            assertTrue(probes.health("uid-1").ready("app", "another"), "a pod gone has no probes left");
        }
    }
}
