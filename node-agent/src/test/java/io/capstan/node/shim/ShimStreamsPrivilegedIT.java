package io.capstan.node.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shim's stream modes on their own: stdinOnce, connect, and exec setup failures (root only). */
@Tag("privileged")
class ShimStreamsPrivilegedIT {
    @TempDir
    Path tmp;

    ShimFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ShimFixture(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void withStdinOnceTheFirstAttachersCloseIsTheContainersEof() throws Exception {
        Path log = tmp.resolve("once.log");
        ShimProcess p = fx.start(
                fx.container("/bin/sh", "-c", "cat; echo cat-ended").stdin(true, true).log(log).build());
        p.awaitStarted(ShimFixture.WAIT);
        try (ContainerInput in = p.attach()) {
            in.stdin().write("only once\n".getBytes(StandardCharsets.UTF_8));
        }
        ExitStatus status = p.onExit().get(ShimFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, status.exitCode());
        assertEquals(List.of("stdout F only once", "stdout F cat-ended"), ShimFixture.criLines(log));
    }

    @Test
    void writesToAnAttachedContainerThatExitedFailInsteadOfBlocking() throws Exception {
        ShimProcess p = fx.start(fx.container("/bin/sh", "-c", "read x; exit 0").stdin(true, false).build());
        p.awaitStarted(ShimFixture.WAIT);
        try (ContainerInput in = p.attach()) {
            in.stdin().write("line\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, p.onExit().get(ShimFixture.WAIT.toSeconds(), TimeUnit.SECONDS).exitCode());
            byte[] big = new byte[256 * 1024]; // more than a FIFO holds
            assertThrows(java.io.IOException.class, () -> assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> in.stdin().write(big)));
        }
    }

    @Test
    void connectRelaysBothWaysInsideTheNamespaceAndReportsRefusals() throws Exception {
        Path hostNetns = Path.of("/proc/self/ns/net"); // the shim's own: the JVM's namespace
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (PodConnection c = fx.shim.connect(new ConnectLaunch(hostNetns, server.getLocalPort()));
                    Socket accepted = server.accept()) {
                c.output().write("to-pod".getBytes(StandardCharsets.UTF_8));
                assertEquals("to-pod", new String(accepted.getInputStream().readNBytes(6), StandardCharsets.UTF_8));
                accepted.getOutputStream().write("from-pod".getBytes(StandardCharsets.UTF_8));
                accepted.shutdownOutput();
                assertEquals("from-pod", new String(c.input().readAllBytes(), StandardCharsets.UTF_8));
                c.output().close(); // half-close reaches the other side as EOF
                assertEquals(-1, accepted.getInputStream().read());
            }
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            ShimStartException refused = assertThrows(ShimStartException.class,
                    () -> fx.shim.connect(new ConnectLaunch(hostNetns, closed)));
            assertEquals("connect: Connection refused", refused.getMessage());
            ShimStartException noNs = assertThrows(ShimStartException.class,
                    () -> fx.shim.connect(new ConnectLaunch(tmp.resolve("no-such-netns"), closed)));
            assertTrue(noNs.getMessage().startsWith("connect: join network namespace"), noNs.getMessage());
        }
    }

    @Test
    void aStreamingExecThatCannotStartFailsWithTheShimsLine() throws Exception {
        ShimProcess p = fx.start(fx.container("/bin/sleep", "3600").build());
        long pid = p.awaitStarted(ShimFixture.WAIT);
        ShimStartException e = assertThrows(ShimStartException.class, () -> fx.shim.execStream(
                ExecLaunch.builder(pid, List.of("/no/such/command")).stream(false, null).build(), false));
        assertEquals(125, e.exitCode());
        assertTrue(e.isExecFailure(), e.getMessage());
        ExecLaunch ok = ExecLaunch.builder(pid, List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"))
                .stream(false, null).build();
        try (ExecSession s = fx.shim.execStream(ok, false)) {
            assertEquals("out\n", new String(s.stdout().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("err\n", new String(s.stderr().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(3, s.waitFor());
        }
        assertTrue(Files.exists(fx.shim.binary()), "the installed binary is untouched");
    }
}
