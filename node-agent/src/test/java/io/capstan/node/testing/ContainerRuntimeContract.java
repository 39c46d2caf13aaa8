package io.capstan.node.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ContainerStatus.ContainerState;
import io.capstan.node.cri.ExecResult;
import io.capstan.node.cri.PodResources;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SandboxStatus;
import io.capstan.node.cri.SecuritySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerRuntime} must do, as its javadoc states; run against the fake now
 * and against the native runtime later (a subclass provides the runtime, an image it has, and the
 * commands). Each test removes the containers and sandboxes it made.
 */
public abstract class ContainerRuntimeContract {
    private final List<String> pods = new ArrayList<>();

    /** The runtime under test; the same instance for the whole test method. */
    protected abstract ContainerRuntime runtime();

    /** An image reference present in the runtime's store. */
    protected abstract String image();

    /** A command that runs until stopped and exits on SIGTERM. */
    protected List<String> runForever() {
        return List.of("sleep", "3600");
    }

    /** A command that exits at once with {@code code}. */
    protected List<String> exitWith(int code) {
        return List.of("sh", "-c", "exit " + code);
    }

    /** A grace period long enough for a process that exits on SIGTERM. */
    protected Duration grace() {
        return Duration.ofSeconds(10);
    }

    protected String newPod() {
        String uid = UUID.randomUUID().toString();
        pods.add(uid);
        return uid;
    }

    protected SandboxSpec sandbox(String uid) {
        return new SandboxSpec(uid, "contract", "pod-" + uid.substring(0, 8), "pod-" + uid.substring(0, 8),
                PodResources.bestEffort(), null);
    }

    protected ContainerSpec container(String uid, String name, int attempt, List<String> command) {
        return new ContainerSpec(uid, name, attempt, image(), command, List.of(), List.of(), null,
                SecuritySpec.defaults(), ContainerResources.none(), List.of(), false, false);
    }

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        ContainerRuntime rt = runtime();
        for (String uid : pods) {
            for (ContainerStatus c : rt.listContainers()) {
                if (c.podUid().equals(uid)) {
                    if (c.state() != ContainerState.EXITED) {
                        rt.stopContainer(c.id(), Duration.ZERO);
                    }
                    rt.removeContainer(c.id());
                }
            }
            rt.removeSandbox(uid);
        }
        pods.clear();
    }

    @Test
    void runSandboxIsIdempotentPerPod() throws Exception {
        String uid = newPod();
        SandboxStatus first = runtime().runSandbox(sandbox(uid));
        SandboxStatus second = runtime().runSandbox(sandbox(uid));
        assertTrue(first.ready());
        assertEquals(first.createdAt(), second.createdAt());
        assertEquals(first.netnsPath(), second.netnsPath());
        assertEquals(1, runtime().listSandboxes().stream().filter(s -> s.podUid().equals(uid)).count());
    }

    @Test
    void startStopAndRemove() throws Exception {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        ContainerStatus started = runtime().startContainer(container(uid, "app", 0, runForever()));
        assertEquals(ContainerState.RUNNING, started.state());
        assertEquals("app", started.name());
        assertEquals(uid, started.podUid());
        assertNotNull(started.startedAt());
        assertTrue(started.imageId().startsWith("sha256:"), started.imageId());
        assertTrue(runtime().listContainers().stream().anyMatch(c -> c.id().equals(started.id())));

        ContainerStatus stopped = runtime().stopContainer(started.id(), grace());
        assertEquals(ContainerState.EXITED, stopped.state());
        assertNotNull(stopped.exitCode());
        assertTrue(stopped.exitCode() == 143 || stopped.exitCode() == 137, "exit " + stopped.exitCode());
        assertNotNull(stopped.finishedAt());

        runtime().removeContainer(started.id());
        assertEquals(Optional.empty(), runtime().containerStatus(started.id()));
        assertTrue(runtime().listContainers().stream().noneMatch(c -> c.id().equals(started.id())));
        runtime().removeSandbox(uid);
        assertTrue(runtime().listSandboxes().stream().noneMatch(s -> s.podUid().equals(uid)));
    }

    @Test
    void removingWhatDoesNotExistIsANoOp() throws Exception {
        runtime().removeContainer("0".repeat(64));
        runtime().removeSandbox(UUID.randomUUID().toString());
        assertEquals(Optional.empty(), runtime().containerStatus("0".repeat(64)));
    }

    @Test
    void exitListenerFiresOncePerExit() throws Exception {
        List<ContainerStatus> exits = new CopyOnWriteArrayList<>();
        String uid = newPod();
        runtime().addExitListener(s -> {
            if (s.podUid().equals(uid)) {
                exits.add(s);
            }
        });
        runtime().runSandbox(sandbox(uid));
        ContainerStatus c = runtime().startContainer(container(uid, "once", 0, exitWith(3)));
        Await.until("the exit is reported", () -> exits.size() == 1, exits::toString);
        ContainerStatus exit = exits.get(0);
        assertEquals(c.id(), exit.id());
        assertEquals(ContainerState.EXITED, exit.state());
        assertEquals(3, exit.exitCode());
        assertEquals("Error", exit.reason());
        // Stopping an exited container changes nothing and reports no second exit.
        ContainerStatus again = runtime().stopContainer(c.id(), grace());
        assertEquals(3, again.exitCode());
        ContainerStatus running = runtime().startContainer(container(uid, "stopped", 0, runForever()));
        runtime().stopContainer(running.id(), grace());
        Await.until("the stop is reported", () -> exits.size() == 2, exits::toString);
        Await.holds("no exit is reported twice", () -> exits.size() == 2, Duration.ofMillis(300), exits::toString);
        assertEquals(running.id(), exits.get(1).id());
    }

    @Test
    void listContainersShowsExitsWithTheirCodes() throws Exception {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        ContainerStatus ok = runtime().startContainer(container(uid, "ok", 0, exitWith(0)));
        ContainerStatus bad = runtime().startContainer(container(uid, "bad", 0, exitWith(5)));
        Await.until("both exited", () -> runtime().listContainers().stream()
                .filter(c -> c.podUid().equals(uid)).allMatch(c -> c.state() == ContainerState.EXITED));
        ContainerStatus okNow = runtime().containerStatus(ok.id()).orElseThrow();
        ContainerStatus badNow = runtime().containerStatus(bad.id()).orElseThrow();
        assertEquals(0, okNow.exitCode());
        assertEquals("Completed", okNow.reason());
        assertEquals(5, badNow.exitCode());
        assertEquals("Error", badNow.reason());
        assertNotNull(badNow.finishedAt());
        assertEquals(0, badNow.pid());
    }

    @Test
    void stoppingAStoppedContainerReturnsItsExit() throws Exception {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        ContainerStatus c = runtime().startContainer(container(uid, "app", 0, runForever()));
        ContainerStatus first = runtime().stopContainer(c.id(), grace());
        ContainerStatus second = runtime().stopContainer(c.id(), grace());
        assertEquals(first.exitCode(), second.exitCode());
        assertEquals(first.finishedAt(), second.finishedAt());
    }

    @Test
    void execRunsInARunningContainer() throws Exception {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        ContainerStatus c = runtime().startContainer(container(uid, "app", 0, runForever()));
        ExecResult echo = runtime().exec(c.id(), List.of("echo", "hello"), Duration.ofSeconds(10));
        assertEquals(0, echo.exitCode());
        assertTrue(echo.output().contains("hello"), echo.output());
        assertTrue(!echo.timedOut());
        ExecResult fails = runtime().exec(c.id(), exitWith(2), Duration.ofSeconds(10));
        assertEquals(2, fails.exitCode());
    }

    @Test
    void attemptsOfOneContainerAreDistinct() throws Exception {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        ContainerStatus first = runtime().startContainer(container(uid, "app", 0, exitWith(1)));
        Await.until("first exited", () -> runtime().containerStatus(first.id())
                .map(s -> s.state() == ContainerState.EXITED).orElse(false));
        ContainerStatus second = runtime().startContainer(container(uid, "app", 1, runForever()));
        assertTrue(!first.id().equals(second.id()));
        assertEquals(1, second.attempt());
        assertEquals(2, runtime().listContainers().stream()
                .filter(s -> s.podUid().equals(uid) && s.name().equals("app")).count());
    }
}
