package io.capstan.node.agent.pod;

import static io.capstan.node.agent.pod.PodFixtures.container;
import static io.capstan.node.agent.pod.PodFixtures.phase;
import static io.capstan.node.agent.pod.PodFixtures.pod;
import static io.capstan.node.agent.pod.PodFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.node.agent.AgentFixture;
import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.PodResources;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SecuritySpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deletion: preStop hooks, then a stop with the grace period, then the pod disappears; runtime
 * containers of pods gone from the API are removed; an agent restarted over a live runtime adopts
 * running containers without restarting them.
 */
class PodDeletionIT {
    static AgentFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = AgentFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static Pod get(Pod pod) {
        return f.pod(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    static boolean runtimeHasNothingOf(String uid) {
        return f.runtime.listContainers().stream().noneMatch(c -> c.podUid().equals(uid))
                && f.runtime.listSandboxes().stream().noneMatch(s -> s.podUid().equals(uid));
    }

    static Pod running(Pod pod) {
        Pod created = f.client.pods().resource(pod).create();
        Await.until(pod.getMetadata().getName() + " runs", () -> "Running".equals(phase(get(created))),
                () -> String.valueOf(get(created).getStatus()));
        return created;
    }

    @Test
    void deletionRunsPreStopThenStopsWithTheGracePeriodThenThePodGoes() {
        String ns = Clients.namespace(f.client, "delete");
        f.runtime.ignoreSigterm("stubborn");
        Pod pod = running(pod(ns, "graceful", "Always", new ContainerBuilder(container("stubborn", "sleep", "3600"))
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("echo", "bye").endExec().endPreStop()
                .endLifecycle().build()).editSpec().withTerminationGracePeriodSeconds(45L).endSpec().build());
        String uid = pod.getMetadata().getUid();
        f.client.pods().inNamespace(ns).withName("graceful").delete();
        Await.until("the container is being stopped", () -> f.runtime.events().contains("stop stubborn 45s"),
                () -> f.runtime.events().toString());
        List<String> events = f.runtime.events();
        assertTrue(events.indexOf("exec stubborn echo bye") >= 0, events.toString());
        assertTrue(events.indexOf("exec stubborn echo bye") < events.indexOf("stop stubborn 45s"), events.toString());
        Await.until("a Killing event", () -> PodFixtures.events(f.client, ns, uid)
                .contains("Killing: Stopping container stubborn"), () -> PodFixtures.events(f.client, ns, uid).toString());
        Await.holds("the pod stays while its container has grace", () -> get(pod) != null,
                Duration.ofMillis(500), () -> "");
        assertNotNull(get(pod).getMetadata().getDeletionTimestamp());

        f.clock.advance(Duration.ofSeconds(45));
        Await.until("the pod is gone", () -> get(pod) == null);
        assertTrue(runtimeHasNothingOf(uid), f.runtime.listContainers().toString());
    }

    @Test
    void containersOfPodsGoneFromTheApiAreRemoved() throws Exception {
        String ns = Clients.namespace(f.client, "orphans");
        // A force deletion removes the pod from the API at once; the agent finds the leftovers.
        Pod pod = running(pod(ns, "forced", "Always", container("app", "sleep", "3600")).build());
        String uid = pod.getMetadata().getUid();
        f.client.pods().inNamespace(ns).withName("forced").withGracePeriod(0).delete();
        Await.until("the forced pod's containers are removed", () -> runtimeHasNothingOf(uid),
                () -> f.runtime.listContainers().toString());

        // Containers no pod ever owned (left by an earlier agent) are removed too.
        String stray = UUID.randomUUID().toString();
        f.runtime.runSandbox(new SandboxSpec(stray, ns, "stray", "stray", PodResources.bestEffort(), null));
        f.runtime.startContainer(new ContainerSpec(stray, "left", 0, AgentFixture.IMAGE, List.of("sleep", "1"),
                List.of(), List.of(), null, SecuritySpec.defaults(), ContainerResources.none(), List.of(), false, false));
        Await.until("the stray container and sandbox are removed", () -> runtimeHasNothingOf(stray),
                () -> f.runtime.listContainers().toString());
    }

    @Test
    void aRestartedAgentAdoptsRunningContainersAndCleansUpWhatWasDeletedMeanwhile() throws Exception {
        String ns = Clients.namespace(f.client, "adopt");
        Pod kept = running(pod(ns, "kept", "Always", container("app", "sleep", "3600")).build());
        Pod gone = running(pod(ns, "gone", "Always", container("app", "sleep", "3600")).build());
        String keptUid = kept.getMetadata().getUid();
        String goneUid = gone.getMetadata().getUid();
        String containerId = status(get(kept), "app").orElseThrow().getContainerID();

        f.agent.close();
        f.client.pods().inNamespace(ns).withName("gone").withGracePeriod(0).delete();
        f.startAgent();

        Await.until("the deleted pod's containers are removed", () -> runtimeHasNothingOf(goneUid),
                () -> f.runtime.listContainers().toString());
        Await.holds("the kept pod runs on in the same container", () -> "Running".equals(phase(get(kept)))
                && containerId.equals(status(get(kept), "app").orElseThrow().getContainerID()),
                Duration.ofMillis(800), () -> String.valueOf(get(kept).getStatus()));
        assertEquals(1, f.runtime.starts(keptUid, "app"));
        assertEquals(0, status(get(kept), "app").orElseThrow().getRestartCount());

        // The new agent still follows the adopted container: an exit is seen and restarted.
        f.runtime.exit(keptUid, "app", 2);
        Await.until("the adopted container's exit restarts it", () -> status(get(kept), "app")
                .map(s -> s.getRestartCount() == 1 && s.getState().getRunning() != null).orElse(false),
                () -> String.valueOf(get(kept).getStatus()));
    }

    @Test
    void orphanedContainersAreStoppedInParallel() {
        String ns = Clients.namespace(f.client, "orphans-parallel");
        f.runtime.ignoreSigterm("orphan-a");
        f.runtime.ignoreSigterm("orphan-b");
        // Grace period 0: the API server deletes the pods at once, so the agent finds them as orphans.
        Pod a = running(pod(ns, "gone-a", "Always", container("orphan-a", "sleep", "3600")).build());
        Pod b = running(pod(ns, "gone-b", "Always", container("orphan-b", "sleep", "3600")).build());
        f.client.pods().inNamespace(ns).withName("gone-a").withGracePeriod(0).delete();
        f.client.pods().inNamespace(ns).withName("gone-b").withGracePeriod(0).delete();
        Await.until("both orphans are being stopped at once, neither waiting for the other's grace period", () -> {
            List<String> events = f.runtime.events();
            return events.stream().anyMatch(e -> e.startsWith("stop orphan-a "))
                    && events.stream().anyMatch(e -> e.startsWith("stop orphan-b "));
        }, () -> f.runtime.events().toString());
        f.clock.advance(Duration.ofSeconds(60));
        Await.until("both orphans are removed", () -> runtimeHasNothingOf(a.getMetadata().getUid())
                && runtimeHasNothingOf(b.getMetadata().getUid()), () -> f.runtime.listContainers().toString());
    }

    @Test
    void terminationsHoldNoPodWorkerAndStopContainersInParallel() {
        String ns = Clients.namespace(f.client, "parallel");
        f.runtime.ignoreSigterm("slow-a");
        f.runtime.ignoreSigterm("slow-b");
        int terminating = f.config.podWorkers() + 1;
        List<Pod> pods = new java.util.ArrayList<>();
        for (int i = 0; i < terminating; i++) {
            pods.add(running(pod(ns, "slow-" + i, "Always", container("slow-a", "sleep", "3600"),
                    container("slow-b", "sleep", "3600")).editSpec().withTerminationGracePeriodSeconds(60L).endSpec()
                    .build()));
        }
        pods.forEach(p -> f.client.pods().resource(p).delete());
        Await.until("both containers of every pod are being stopped with the whole grace period", () -> {
            List<String> events = f.runtime.events();
            return events.stream().filter(e -> e.equals("stop slow-a 60s")).count() == terminating
                    && events.stream().filter(e -> e.equals("stop slow-b 60s")).count() == terminating;
        }, () -> f.runtime.events().toString());
        Pod fresh = running(pod(ns, "fresh", "Always", container("app", "sleep", "3600")).build());
        assertNotNull(fresh);
        assertTrue(pods.stream().allMatch(p -> get(p) != null), "the slow pods are still terminating");
        f.clock.advance(Duration.ofSeconds(60));
        Await.until("the slow pods are gone", () -> pods.stream().allMatch(p -> get(p) == null));
    }

    @Test
    void sidecarsAreStoppedAfterTheAppContainers() {
        String ns = Clients.namespace(f.client, "sidecar-delete");
        f.runtime.ignoreSigterm("main-slow");
        Pod pod = running(pod(ns, "meshed", "Always", container("main-slow", "sleep", "3600"))
                .editSpec().withTerminationGracePeriodSeconds(20L).withInitContainers(
                        new ContainerBuilder(container("side-keep", "sleep", "3600")).withRestartPolicy("Always").build())
                .endSpec().build());
        f.client.pods().resource(pod).delete();
        Await.until("the app container is being stopped", () -> f.runtime.events().contains("stop main-slow 20s"),
                () -> f.runtime.events().toString());
        Await.holds("the sidecar keeps running meanwhile", () -> f.runtime.events().stream()
                .noneMatch(e -> e.startsWith("stop side-keep")), Duration.ofMillis(300), () -> f.runtime.events().toString());
        f.clock.advance(Duration.ofSeconds(20));
        Await.until("the pod is gone", () -> get(pod) == null);
        List<String> events = f.runtime.events();
        assertTrue(events.indexOf("exited main-slow 137") < events.indexOf("stop side-keep 2s"), events.toString());
    }
}
