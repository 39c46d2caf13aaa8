package io.capstan.node.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ExecOptions;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SecuritySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The streaming part of the runtime contract ({@code kubectl exec}, {@code attach},
 * {@code port-forward}), run against the fake and the native runtime. Every stream read is bounded
 * by a generous timeout so that a broken stream fails the test instead of hanging it.
 */
public abstract class ContainerStreamsContract extends ContainerRuntimeContract {
    private static final Duration HANG = Duration.ofSeconds(60);

    /** A command that serves TCP on {@code port}, echoing what each connection sends. */
    protected List<String> echoServer(int port) {
        return List.of("nc", "-ll", "-p", Integer.toString(port), "-e", "cat");
    }

    protected ContainerSpec withStdin(String uid, String name, List<String> command, boolean stdin, boolean tty) {
        return new ContainerSpec(uid, name, 0, image(), command, List.of(), List.of(), null,
                SecuritySpec.defaults(), ContainerResources.none(), List.of(), stdin, tty);
    }

    private static String readAll(java.io.InputStream in) {
        return assertTimeoutPreemptively(HANG, () -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    private ContainerStatus running(String name) throws RuntimeFailure {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        return runtime().startContainer(container(uid, name, 0, runForever()));
    }

    @Test
    void execStreamPassesStdinThroughAndEndsAtItsEof() throws Exception {
        ContainerStatus c = running("app");
        try (ExecSession s = runtime().execStream(c.id(), List.of("cat"), new ExecOptions(true, false))) {
            assertNotNull(s.stdin());
            s.stdin().write("hello stream\n".getBytes(StandardCharsets.UTF_8));
            s.stdin().close();
            String out = readAll(s.stdout());
            assertEquals("hello stream\n", out);
            assertEquals(0, (int) assertTimeoutPreemptively(HANG, s::waitFor));
            assertEquals("", readAll(s.stderr()));
        }
    }

    @Test
    void execStreamRelaysOutputAndExitCodes() throws Exception {
        ContainerStatus c = running("app");
        ExecOptions plain = new ExecOptions(false, false);
        try (ExecSession s = runtime().execStream(c.id(), List.of("echo", "hi", "there"), plain)) {
            assertNull(s.stdin());
            assertEquals("hi there\n", readAll(s.stdout()));
            assertEquals(0, (int) assertTimeoutPreemptively(HANG, s::waitFor));
        }
        try (ExecSession s = runtime().execStream(c.id(), exitWith(7), new ExecOptions(false, false))) {
            assertEquals(7, (int) assertTimeoutPreemptively(HANG, s::waitFor));
        }
        try (ExecSession s = runtime().execStream(c.id(), List.of("tty"), new ExecOptions(false, true))) {
            String out = readAll(s.stdout());
            assertTrue(out.startsWith("/dev/pts/"), out);
            assertEquals(0, (int) assertTimeoutPreemptively(HANG, s::waitFor));
        }
    }

    @Test
    void execStreamIntoAMissingOrStoppedContainerFails() throws Exception {
        RuntimeFailure missing = assertThrows(RuntimeFailure.class,
                () -> runtime().execStream("0".repeat(64), List.of("true"), new ExecOptions(false, false)));
        assertEquals("ContainerNotFound", missing.reason());
        ContainerStatus c = running("app");
        runtime().stopContainer(c.id(), grace());
        RuntimeFailure stopped = assertThrows(RuntimeFailure.class,
                () -> runtime().execStream(c.id(), List.of("true"), new ExecOptions(false, false)));
        assertEquals("ContainerNotRunning", stopped.reason());
    }

    @Test
    void attachNeedsAContainerStartedWithStdin() throws Exception {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        ContainerStatus plain = runtime().startContainer(container(uid, "plain", 0, runForever()));
        assertEquals("NoStdin", assertThrows(RuntimeFailure.class, () -> runtime().attach(plain.id())).reason());
        assertEquals("ContainerNotFound",
                assertThrows(RuntimeFailure.class, () -> runtime().attach("0".repeat(64))).reason());
        ContainerStatus open = runtime().startContainer(withStdin(uid, "open", runForever(), true, false));
        try (ContainerInput in = runtime().attach(open.id())) {
            assertNotNull(in.stdin());
            in.stdin().write("typed\n".getBytes(StandardCharsets.UTF_8));
            in.resize(80, 24); // ignored without a tty
        }
        // Detaching leaves the container running, and a second attach works.
        assertEquals(ContainerStatus.ContainerState.RUNNING,
                runtime().containerStatus(open.id()).orElseThrow().state());
        try (ContainerInput again = runtime().attach(open.id())) {
            assertNotNull(again.stdin());
        }
    }

    @Test
    void portForwardReachesAListenerInThePod() throws Exception {
        String uid = newPod();
        runtime().runSandbox(sandbox(uid));
        runtime().startContainer(container(uid, "server", 0, echoServer(8080)));
        AtomicReference<PodConnection> connected = new AtomicReference<>();
        Await.until("the echo server accepts a connection", () -> {
            try {
                connected.set(runtime().portForward(uid, 8080));
                return true;
            } catch (RuntimeFailure e) {
                return false;
            }
        });
        try (PodConnection conn = connected.get()) {
            conn.output().write("ping\n".getBytes(StandardCharsets.UTF_8));
            byte[] back = assertTimeoutPreemptively(HANG, () -> conn.input().readNBytes(5));
            assertEquals("ping\n", new String(back, StandardCharsets.UTF_8));
            conn.output().close(); // half-close: the echo server ends, so does the input
            assertEquals(-1, (int) assertTimeoutPreemptively(HANG, () -> conn.input().read()));
        }
        RuntimeFailure closed = assertThrows(RuntimeFailure.class, () -> runtime().portForward(uid, 8081));
        assertEquals("PortForwardError", closed.reason());
        assertTrue(closed.getMessage().toLowerCase(Locale.ROOT).contains("refused"), closed.getMessage());
        assertTrue(closed.getMessage().contains("8081"), closed.getMessage());
        assertEquals("SandboxNotFound", assertThrows(RuntimeFailure.class,
                () -> runtime().portForward(newPod(), 8080)).reason());
    }
}
