package io.capstan.node.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodPhaseTest {
    static ContainerStatus running() {
        return new ContainerStatusBuilder().withName("c").withState(new ContainerStateBuilder().withNewRunning()
                .endRunning().build()).build();
    }

    static ContainerStatus waiting() {
        return new ContainerStatusBuilder().withName("c").withState(new ContainerStateBuilder().withNewWaiting()
                .withReason("ContainerCreating").endWaiting().build()).build();
    }

    static ContainerStatus exited(int code) {
        return new ContainerStatusBuilder().withName("c").withState(new ContainerStateBuilder().withNewTerminated()
                .withExitCode(code).endTerminated().build()).build();
    }

    static ContainerStatus crashLooping(int lastCode) {
        return new ContainerStatusBuilder().withName("c")
                .withState(new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().build())
                .withLastState(new ContainerStateBuilder().withNewTerminated().withExitCode(lastCode).endTerminated()
                        .build()).build();
    }

    static String phase(String policy, List<ContainerStatus> init, List<ContainerStatus> app) {
        return PodPhase.of(policy, "Pending", init, app, app.size());
    }

    @Test
    void pendingUntilEveryAppContainerRuns() {
        assertEquals("Pending", phase("Always", List.of(), List.of(waiting())));
        assertEquals("Pending", phase("Always", List.of(), List.of(running(), waiting())));
        assertEquals("Running", phase("Always", List.of(), List.of(running(), running())));
        assertEquals("Pending", PodPhase.of("Always", null, List.of(), List.of(running()), 2));
    }

    @Test
    void exitedContainersByRestartPolicy() {
        assertEquals("Running", phase("Always", List.of(), List.of(exited(0))));
        assertEquals("Running", phase("Always", List.of(), List.of(crashLooping(1))));
        assertEquals("Succeeded", phase("OnFailure", List.of(), List.of(exited(0), exited(0))));
        assertEquals("Running", phase("OnFailure", List.of(), List.of(crashLooping(2))));
        assertEquals("Succeeded", phase("Never", List.of(), List.of(exited(0))));
        assertEquals("Failed", phase("Never", List.of(), List.of(exited(0), exited(3))));
        assertEquals("Running", phase("Never", List.of(), List.of(running(), exited(3))));
    }

    @Test
    void initContainers() {
        assertEquals("Pending", phase("Always", List.of(running()), List.of(waiting())));
        assertEquals("Pending", phase("Always", List.of(exited(0), waiting()), List.of(waiting())));
        assertEquals("Running", phase("Always", List.of(exited(0)), List.of(running())));
        assertEquals("Failed", phase("Never", List.of(exited(1)), List.of(waiting())));
        assertEquals("Pending", phase("OnFailure", List.of(crashLooping(1)), List.of(waiting())));
    }

    @Test
    void terminalPhasesStay() {
        assertEquals("Succeeded", PodPhase.of("Always", "Succeeded", List.of(), List.of(running()), 1));
        assertEquals("Failed", PodPhase.of("Always", "Failed", List.of(), List.of(running()), 1));
    }

    static ContainerStatus named(String name, ContainerStatus s) {
        return new ContainerStatusBuilder(s).withName(name).build();
    }

    @Test
    void sidecarsCountWhileTheyRunAndNotOnceExited() {
        java.util.Set<String> sidecars = java.util.Set.of("proxy");
        assertEquals("Pending", PodPhase.of("Never", "Pending", List.of(named("proxy", waiting())),
                List.of(waiting()), 1, sidecars));
        assertEquals("Pending", PodPhase.of("Never", "Pending", List.of(named("proxy", running()), running()),
                List.of(waiting()), 1, sidecars));
        assertEquals("Running", PodPhase.of("Never", "Pending", List.of(named("proxy", running())),
                List.of(running()), 1, sidecars));
        assertEquals("Running", PodPhase.of("Never", "Pending", List.of(named("proxy", running())),
                List.of(exited(0)), 1, sidecars));
        assertEquals("Succeeded", PodPhase.of("Never", "Pending", List.of(named("proxy", exited(143))),
                List.of(exited(0)), 1, sidecars));
        assertEquals("Failed", PodPhase.of("Never", "Pending", List.of(named("proxy", exited(143))),
                List.of(exited(2)), 1, sidecars));
        // A sidecar restarting after the app containers started does not make the pod Pending again.
        assertEquals("Running", PodPhase.of("Always", "Running", List.of(named("proxy", crashLooping(1))),
                List.of(running()), 1, sidecars));
    }
}
