package io.capstan.node.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.MutableClock;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ContainerStatus.ContainerState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe worker's state machine, tick by tick, with a fake clock, container and handler. */
class ProbeWorkerTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Deque<Outcome> outcomes = new ArrayDeque<>();
    final List<String> events = new ArrayList<>();
    final List<String> kills = new ArrayList<>();
    int changes;
    int probes;
    Pod pod = pod("Always");
    ContainerStatus container = running("c1", 0);
    boolean started = true;

    final ProbeWorker.View view = new ProbeWorker.View() {
        @Override
        public Pod pod() {
            return pod;
        }

        @Override
        public String podIp() {
            return "10.244.0.5";
        }

        @Override
        public ContainerStatus container() {
            return container;
        }

        @Override
        public boolean started(String containerId) {
            return started;
        }
    };

    final Prober prober = (probe, target) -> {
        probes++;
        return outcomes.isEmpty() ? Outcome.success("") : outcomes.poll();
    };

    final ProbeEvents sink = new ProbeEvents() {
        @Override
        public void normal(Pod p, String c, String reason, String message) {
            events.add(reason + ": " + message);
        }

        @Override
        public void warning(Pod p, String c, String reason, String message) {
            events.add(reason + ": " + message);
        }
    };

    final ProbeWorker.Listener listener = new ProbeWorker.Listener() {
        @Override
        public void changed(ProbeWorker w) {
            changes++;
        }

        @Override
        public void failed(ProbeWorker w, Pod p, ContainerStatus c) {
            kills.add(c.id());
        }
    };

    static Pod pod(String restartPolicy) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("uid-1").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).endSpec().withNewStatus().withPhase("Running")
                .endStatus().build();
    }

    ContainerStatus running(String id, int attempt) {
        return new ContainerStatus(id, "uid-1", "app", attempt, "busybox:1.36", "sha256:x", ContainerState.RUNNING,
                1, clock.instant(), null, null, null, null, null);
    }

    ContainerStatus exited(ContainerStatus c) {
        return new ContainerStatus(c.id(), c.podUid(), c.name(), c.attempt(), c.image(), c.imageId(),
                ContainerState.EXITED, 0, c.startedAt(), clock.instant(), 137, "Error", null, null);
    }

    ProbeWorker worker(ProbeKind kind, Probe probe) {
        ContainerBuilder b = new ContainerBuilder().withName("app").withImage("busybox:1.36");
        switch (kind) {
            case LIVENESS -> b.withLivenessProbe(probe);
            case READINESS -> b.withReadinessProbe(probe);
            case STARTUP -> b.withStartupProbe(probe);
        }
        Container c = b.build();
        return new ProbeWorker(kind, c, view, prober, sink, clock, listener);
    }

    static ProbeBuilder exec() {
        return new ProbeBuilder().withNewExec().withCommand("cat", "/tmp/healthy").endExec();
    }

    @Test
    void readinessStartsUnreadyAndFollowsTheThresholds() {
        ProbeWorker w = worker(ProbeKind.READINESS, exec().withSuccessThreshold(2).withFailureThreshold(2).build());
        assertNull(w.result("c1"), "nothing published before the first tick");
        outcomes.add(Outcome.success(""));
        assertTrue(w.tick());
        assertEquals(ProbeResult.FAILURE, w.result("c1"), "one success of two needed: still the initial failure");
        outcomes.add(Outcome.success(""));
        w.tick();
        assertEquals(ProbeResult.SUCCESS, w.result("c1"));
        outcomes.add(Outcome.failure("no"));
        w.tick();
        assertEquals(ProbeResult.SUCCESS, w.result("c1"), "one failure of two is not enough");
        outcomes.add(Outcome.success(""));
        outcomes.add(Outcome.failure("no"));
        outcomes.add(Outcome.failure("no"));
        w.tick();
        w.tick();
        assertEquals(ProbeResult.SUCCESS, w.result("c1"), "a success in between starts the count again");
        w.tick();
        assertEquals(ProbeResult.FAILURE, w.result("c1"));
        assertEquals(List.of("Unhealthy: Readiness probe failed: no", "Unhealthy: Readiness probe failed: no",
                "Unhealthy: Readiness probe failed: no"), events);
        assertTrue(kills.isEmpty(), "readiness never kills");
        assertEquals(2, changes, "published twice: ready, then unready");
    }

    @Test
    void nothingIsProbedDuringTheInitialDelay() {
        ProbeWorker w = worker(ProbeKind.READINESS, exec().withInitialDelaySeconds(5).build());
        w.tick();
        clock.advance(Duration.ofSeconds(4));
        w.tick();
        assertEquals(0, probes);
        assertEquals(ProbeResult.FAILURE, w.result("c1"));
        clock.advance(Duration.ofSeconds(1));
        w.tick();
        assertEquals(1, probes);
        assertEquals(ProbeResult.SUCCESS, w.result("c1"));
    }

    @Test
    void livenessFailureAtTheThresholdAsksForAKillThenHoldsUntilANewContainer() {
        ProbeWorker w = worker(ProbeKind.LIVENESS, exec().build()); // failureThreshold defaults to 3
        w.tick();
        assertEquals(ProbeResult.SUCCESS, w.result("c1"), "alive until shown otherwise");
        for (int i = 0; i < 3; i++) {
            outcomes.add(Outcome.failure("cat: can't open '/tmp/healthy': No such file or directory\n"));
        }
        w.tick();
        w.tick();
        assertTrue(kills.isEmpty());
        w.tick();
        assertEquals(List.of("c1"), kills);
        assertEquals(ProbeResult.FAILURE, w.result("c1"));
        assertEquals("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
                events.get(0));
        int before = probes;
        w.tick();
        w.tick();
        assertEquals(before, probes, "on hold: the dying container is not probed");
        assertEquals(1, kills.size());

        container = running("c2", 1); // restarted by the pod sync
        w.tick();
        assertEquals(before + 1, probes);
        assertEquals(ProbeResult.SUCCESS, w.result("c2"));
        assertNull(w.result("c1"), "results are per container instance");
    }

    @Test
    void livenessAndReadinessWaitForTheStartupProbe() {
        started = false;
        ProbeWorker live = worker(ProbeKind.LIVENESS, exec().build());
        ProbeWorker ready = worker(ProbeKind.READINESS, exec().build());
        outcomes.add(Outcome.failure("not yet"));
        live.tick();
        ready.tick();
        assertEquals(0, probes, "neither probes before the container started");
        assertTrue(kills.isEmpty());
        assertEquals(ProbeResult.FAILURE, ready.result("c1"));
        started = true;
        ready.tick();
        assertEquals(1, probes);
    }

    @Test
    void theStartupProbeStopsProbingOnceStartedAndKillsOnFailure() {
        started = false;
        ProbeWorker w = worker(ProbeKind.STARTUP, exec().withFailureThreshold(2).build());
        w.tick();
        assertEquals(ProbeResult.SUCCESS, w.result("c1"));
        started = true; // what the manager derives from that success
        w.tick();
        assertEquals(1, probes, "a started container is not probed for startup again");

        container = running("c2", 1);
        started = false;
        outcomes.add(Outcome.failure(""));
        outcomes.add(Outcome.failure(""));
        w.tick();
        assertEquals(ProbeResult.UNKNOWN, w.result("c2"), "a new instance starts unknown");
        w.tick();
        assertEquals(List.of("c2"), kills);
        assertEquals(ProbeResult.FAILURE, w.result("c2"));
    }

    @Test
    void errorsAreThrownAwayAndSaySo() {
        ProbeWorker w = worker(ProbeKind.LIVENESS, exec().withFailureThreshold(1).build());
        outcomes.add(Outcome.error("gRPC probes are not supported by this node agent yet"));
        w.tick();
        assertEquals(ProbeResult.SUCCESS, w.result("c1"));
        assertTrue(kills.isEmpty());
        assertEquals(List.of("Unhealthy: Liveness probe errored and resulted in unknown state: "
                + "gRPC probes are not supported by this node agent yet"), events);
    }

    @Test
    void aRedirectWarningCountsAsSuccess() {
        ProbeWorker w = worker(ProbeKind.READINESS, exec().build());
        outcomes.add(Outcome.warning("Probe terminated redirects, Response body: moved"));
        w.tick();
        assertEquals(ProbeResult.SUCCESS, w.result("c1"));
        assertEquals(List.of("ProbeWarning: Readiness probe warning: Probe terminated redirects, Response body: moved"),
                events);
    }

    @Test
    void anExitedContainerFailsAndEndsTheWorkerOnlyWhenItWillNotRestart() {
        ProbeWorker w = worker(ProbeKind.READINESS, exec().build());
        w.tick();
        container = exited(container);
        assertTrue(w.tick(), "restartPolicy Always: a new instance will come");
        assertEquals(ProbeResult.FAILURE, w.result("c1"));
        pod = pod("Never");
        assertFalse(w.tick());
    }

    @Test
    void aFinishedPodEndsTheWorker() {
        ProbeWorker w = worker(ProbeKind.READINESS, exec().build());
        pod.getStatus().setPhase("Succeeded");
        assertFalse(w.tick());
        assertEquals(0, probes);
    }

    @Test
    void aPodBeingDeletedEndsLivenessQuietlyButKeepsReadiness() {
        ProbeWorker live = worker(ProbeKind.LIVENESS, exec().withFailureThreshold(1).build());
        ProbeWorker ready = worker(ProbeKind.READINESS, exec().build());
        pod.getMetadata().setDeletionTimestamp("2026-01-01T00:00:10Z");
        outcomes.add(Outcome.failure("going away"));
        assertFalse(live.tick());
        assertEquals(ProbeResult.SUCCESS, live.result("c1"));
        assertTrue(kills.isEmpty());
        assertTrue(ready.tick());
        assertEquals(1, probes);
    }

    @Test
    void aContainerNotCreatedYetIsWaitedFor() {
        container = null;
        ProbeWorker w = worker(ProbeKind.LIVENESS, exec().build());
        assertTrue(w.tick());
        assertEquals(0, probes);
    }

    @Test
    void readinessAndStartupShownInThePodStatusCarryOverToANewAgent() {
        pod.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                .withName("app").withContainerID("capstan://c1").withReady(true).withStarted(true).build()));
        ProbeWorker ready = worker(ProbeKind.READINESS, exec().withFailureThreshold(1).build());
        ProbeWorker startup = worker(ProbeKind.STARTUP, exec().build());
        assertEquals(ProbeResult.SUCCESS, ready.result("c1"), "before any tick");
        assertEquals(ProbeResult.SUCCESS, startup.result("c1"));
        assertNull(ready.result("c2"), "another instance is not ready");
        outcomes.add(Outcome.failure("down"));
        ready.tick();
        assertEquals(ProbeResult.FAILURE, ready.result("c1"), "until the probe says otherwise");
    }
}
