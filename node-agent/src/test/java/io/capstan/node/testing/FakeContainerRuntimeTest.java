package io.capstan.node.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.MutableClock;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.RuntimeFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake runtime meets the runtime contract, and its test knobs do what they say. */
class FakeContainerRuntimeTest extends ContainerStreamsContract {
    final MutableClock clock = new MutableClock();
    final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);

    @Override
    protected ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected String image() {
        return "docker.io/library/busybox:latest";
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void failRunGivesRunContainerError() throws Exception {
        String uid = newPod();
        runtime.runSandbox(sandbox(uid));
        runtime.failRun("/no/such", "exec: \"/no/such\": stat /no/such: no such file or directory");
        RuntimeFailure f = assertThrows(RuntimeFailure.class,
                () -> runtime.startContainer(container(uid, "app", 0, List.of("/no/such"))));
        assertEquals("RunContainerError", f.reason());
        assertTrue(f.getMessage().contains("no such file"));
    }

    @Test
    void aContainerIgnoringSigtermIsKilledWhenTheGracePeriodPassesOnTheClock() throws Exception {
        String uid = newPod();
        runtime.runSandbox(sandbox(uid));
        runtime.ignoreSigterm("stubborn");
        ContainerStatus c = runtime.startContainer(container(uid, "stubborn", 0, runForever()));
        CompletableFuture<ContainerStatus> stop = CompletableFuture.supplyAsync(() -> runtime.stopContainer(c.id(),
                Duration.ofSeconds(30)));
        Await.holds("the stop waits for the grace period", () -> !stop.isDone(), Duration.ofMillis(300), () -> "");
        clock.advance(Duration.ofSeconds(30));
        Await.until("the stop ends", stop::isDone);
        assertEquals(137, stop.get().exitCode());
    }

    @Test
    void oomKillIsReportedAsOomKilled() throws Exception {
        String uid = newPod();
        runtime.runSandbox(sandbox(uid));
        runtime.startContainer(container(uid, "hog", 0, runForever()));
        runtime.oomKill(uid, "hog");
        ContainerStatus s = runtime.latest(uid, "hog").orElseThrow();
        assertEquals("OOMKilled", s.reason());
        assertEquals(137, s.exitCode());
    }
}
