package io.capstan.node.runtime;

import static io.capstan.node.runtime.RuntimeFixture.awaitLog;
import static io.capstan.node.runtime.RuntimeFixture.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ExecOptions;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SecuritySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The native runtime's streams with real busybox containers (root only): exec on a terminal and its
 * resize, the sealed copy the exec shim runs from, attach to stdin and tty containers, and log
 * rotation by size.
 */
@Tag("privileged")
class NativeStreamsPrivilegedIT {
    private static final Duration HANG = Duration.ofSeconds(60);
    private RuntimeFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private ContainerStatus start(String podName, List<String> command, boolean stdin, boolean tty)
            throws Exception {
        SandboxSpec pod = f.sandbox(podName);
        f.runtime.runSandbox(pod);
        return f.runtime.startContainer(new ContainerSpec(pod.podUid(), "c", 0, RuntimeFixture.IMAGE, command,
                List.of(), List.of(), null, SecuritySpec.defaults(), ContainerResources.none(), List.of(), stdin, tty));
    }

    /** Reads from {@code in} (on this thread) until the text read contains {@code expected}. */
    private static String readUntil(InputStream in, String expected) {
        return assertTimeoutPreemptively(HANG, () -> {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (!seen.toString(StandardCharsets.UTF_8).contains(expected)) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                seen.write(buf, 0, n);
            }
            return seen.toString(StandardCharsets.UTF_8);
        });
    }

    @Test
    void execOnATerminalFollowsResizes() throws Exception {
        f = new RuntimeFixture();
        ContainerStatus c = start("tty", List.of("sleep", "3600"), false, false);
        try (ExecSession s = f.runtime.execStream(c.id(), List.of("sh", "-c", "tty; read x; stty size; exit 4"),
                new ExecOptions(true, true))) {
            String tty = readUntil(s.stdout(), "\n");
            assertTrue(tty.startsWith("/dev/pts/"), tty);
            s.resize(123, 45);
            s.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
            String size = readUntil(s.stdout(), "45 123");
            assertTrue(size.contains("45 123"), size);
            assertEquals(4, (int) assertTimeoutPreemptively(HANG, s::waitFor));
        }
    }

    @Test
    void theExecShimRunsFromASealedCopyNotTheBinaryOnDisk() throws Exception {
        f = new RuntimeFixture();
        ContainerStatus c = start("memfd", List.of("sleep", "3600"), false, false);
        try (ExecSession s = f.runtime.execStream(c.id(), List.of("sleep", "3600"), new ExecOptions(false, false))) {
            ProcessHandle shim = ProcessHandle.current().children()
                    .filter(p -> cmdline(p.pid()).contains("exec\0--target\0" + c.pid() + "\0"))
                    .findFirst().orElseThrow(() -> new AssertionError("no exec shim among the JVM's children"));
            String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(shim.pid()), "exe")).toString();
            assertTrue(exe.startsWith("/memfd:capstan-shim"), exe);
            assertFalse(exe.contains(f.dataDir.toString()), exe);
            String status = Files.readString(Path.of("/proc", Long.toString(shim.pid()), "status"));
            assertTrue(status.contains("\nUid:\t0"), "the exec shim runs as root, from the copy");
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void attachWritesReachTheContainerAndItsStdinStaysOpenBetweenAttaches() throws Exception {
        f = new RuntimeFixture();
        ContainerStatus c = start("cat", List.of("cat"), true, false);
        try (ContainerInput in = f.runtime.attach(c.id())) {
            in.stdin().write("first attach\n".getBytes(StandardCharsets.UTF_8));
        }
        awaitLog(c, "first attach");
        Await.holds("cat sees no EOF when the attacher leaves", () -> f.runtime.containerStatus(c.id())
                .map(s -> s.state() == ContainerStatus.ContainerState.RUNNING).orElse(false), Duration.ofMillis(300),
                () -> f.runtime.containerStatus(c.id()).toString());
        try (ContainerInput in = f.runtime.attach(c.id())) {
            in.stdin().write("second attach\n".getBytes(StandardCharsets.UTF_8));
        }
        awaitLog(c, "second attach");
        assertTrue(Files.readString(c.logPath()).contains(" stdout F first attach\n"), Files.readString(c.logPath()));
    }

    @Test
    void aTtyContainerLogsItsTerminalAsStdoutAndFollowsResizes() throws Exception {
        f = new RuntimeFixture();
        ContainerStatus c = start("tty", List.of("sh", "-c", "read x; stty size; cat"), true, true);
        try (ContainerInput in = f.runtime.attach(c.id())) {
            in.resize(90, 30);
            in.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        awaitLog(c, "30 90");
        assertTrue(Files.readString(c.logPath()).contains(" stdout "), Files.readString(c.logPath()));
        assertFalse(Files.readString(c.logPath()).contains(" stderr "), Files.readString(c.logPath()));
    }

    @Test
    void theLogIsRotatedBySize() throws Exception {
        f = new RuntimeFixture("overlay", cfg -> cfg.withLogRotation(4096, 3));
        ContainerStatus c = start("chatty", List.of("sh", "-c",
                "i=0; while [ $i -lt 400 ]; do echo line-$i-0123456789012345678901234567890123456789; i=$((i+1)); done;"
                        + " sleep 3600"), false, false);
        Path log = c.logPath();
        awaitLog(c, "line-399-");
        assertTrue(Files.exists(log.resolveSibling("0.log.1")), "0.log.1");
        assertTrue(Files.exists(log.resolveSibling("0.log.2")), "0.log.2");
        assertFalse(Files.exists(log.resolveSibling("0.log.3")), "only maxFiles - 1 rotated files are kept");
        for (String name : List.of("0.log", "0.log.1", "0.log.2")) {
            long size = Files.size(log.resolveSibling(name));
            assertTrue(size <= 4096, name + " has " + size + " bytes");
            List<String> lines = Files.readAllLines(log.resolveSibling(name));
            assertTrue(lines.stream().allMatch(l -> l.matches("\\S+Z stdout F line-\\d+-\\d+")), name + ": " + lines);
        }
        Optional<String> first = Files.readAllLines(log.resolveSibling("0.log.2")).stream().findFirst();
        assertTrue(first.isPresent() && !first.get().contains("line-0-"), "the oldest lines were dropped");
    }
}
