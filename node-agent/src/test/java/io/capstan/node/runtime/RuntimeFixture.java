package io.capstan.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.PodResources;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SecuritySpec;
import io.capstan.node.image.ImageStore;
import io.capstan.node.image.ImageUsage;
import io.capstan.node.image.ImportOptions;
import io.capstan.node.sys.Sys;
import io.capstan.node.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A native runtime over a temp data directory with a unique cgroup root and two busybox images:
 * {@code busybox:test} (OCI archive: cmd {@code sh}, PATH) and {@code busybox:merge} (a rootfs with
 * entrypoint {@code echo from-entrypoint}, cmd {@code default-cmd}, env FOO and BAR, workdir /tmp).
 * {@link #close()} removes every container, sandbox, mount, cgroup and process of the test, even
 * after a failure.
 */
final class RuntimeFixture implements AutoCloseable {
    static final String IMAGE = "busybox:test";
    static final String MERGE_IMAGE = "busybox:merge";

    final Path dir;
    final Path dataDir;
    final RuntimeConfig config;
    NativeContainerRuntime runtime;

    RuntimeFixture() throws IOException {
        this("overlay");
    }

    RuntimeFixture(String graphDriver) throws IOException {
        this(graphDriver, UnaryOperator.identity());
    }

    /** A fixture whose runtime config is {@code customize}d (e.g. a small log rotation size). */
    RuntimeFixture(String graphDriver, UnaryOperator<RuntimeConfig> customize) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the native runtime's tests need root");
        dir = Files.createTempDirectory("capstan-rt-");
        dataDir = dir.resolve("data");
        config = customize.apply(RuntimeConfig.defaults(dataDir).withGraphDriver(graphDriver)
                .withCgroupRoot("capstan-test-" + UUID.randomUUID().toString().substring(0, 8)));
        ImageStore store = ImageStore.open(dataDir, ImageUsage.NONE);
        store.importArchive(TestImages.ociLayout(dir, null), IMAGE, ImportOptions.NONE);
        store.importArchive(TestImages.rootfsTarball(dir, false), MERGE_IMAGE, new ImportOptions(
                List.of("/bin/echo", "from-entrypoint"), List.of("default-cmd"), List.of("FOO=image", "BAR=image"), "/tmp"));
        runtime = NativeContainerRuntime.open(config);
    }

    /** Closes the runtime and opens a new one over the same data directory (an agent restart). */
    NativeContainerRuntime reopen() throws IOException {
        runtime.close();
        runtime = NativeContainerRuntime.open(config);
        return runtime;
    }

    SandboxSpec sandbox(String name) {
        return new SandboxSpec(UUID.randomUUID().toString(), "default", name, name, PodResources.bestEffort(), null);
    }

    static ContainerSpec container(SandboxSpec pod, String name, String image, List<String> command) {
        return new ContainerSpec(pod.podUid(), name, 0, image, command, List.of(), List.of(), null,
                SecuritySpec.defaults(), ContainerResources.none(), List.of(), false, false);
    }

    static ContainerSpec sh(SandboxSpec pod, String name, String script) {
        return container(pod, name, IMAGE, List.of("sh", "-c", script));
    }

    /** Waits until the container has exited and returns its status. */
    ContainerStatus awaitExit(String id) {
        Await.until("container " + id + " exits", () -> runtime.containerStatus(id)
                .map(s -> s.state() == ContainerStatus.ContainerState.EXITED).orElse(false),
                () -> runtime.containerStatus(id).toString());
        return runtime.containerStatus(id).orElseThrow();
    }

    /** The text of a container's CRI log (the content part of each line). */
    static String log(ContainerStatus c) throws IOException {
        if (!Files.exists(c.logPath())) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(c.logPath(), StandardCharsets.UTF_8)) {
            String[] parts = line.split(" ", 4);
            sb.append(parts.length == 4 ? parts[3] : "").append('\n');
        }
        return sb.toString();
    }

    /** Waits until the container's log contains {@code text}. */
    static void awaitLog(ContainerStatus c, String text) {
        Await.until("log of " + c.name() + " contains " + text, () -> {
            try {
                return log(c).contains(text);
            } catch (IOException e) {
                return false;
            }
        }, () -> {
            try {
                return log(c);
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    /** Mount points under the data directory, from /proc/self/mountinfo. */
    List<String> mounts() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(dataDir.toString())) {
                out.add(mountPoint);
            }
        }
        return out;
    }

    /** Processes whose command line names the data directory (shims and holders of this test). */
    List<ProcessHandle> processes() {
        return ProcessHandle.allProcesses().filter(p -> cmdline(p.pid()).contains(dataDir.toString())).toList();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Asserts that no mount, cgroup, process or state of the runtime is left (after close). */
    void assertNothingLeft() throws Exception {
        assertEquals(List.of(), mounts(), "mounts under the data dir");
        assertEquals(List.of(), processes().stream().map(ProcessHandle::pid).toList(), "processes of the test");
        assertEquals(List.of(), PodCgroups.open(config.cgroupConfig()).list(), "pod cgroups");
        for (Path d : List.of(config.containersDir(), config.sandboxesDir(), config.logsDir())) {
            if (Files.exists(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    assertEquals(List.of(), s.toList(), "left in " + d);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        Throwable failure = null;
        try {
            for (ContainerStatus c : runtime.listContainers()) {
                runtime.stopContainer(c.id(), Duration.ZERO);
                runtime.removeContainer(c.id());
            }
            for (var s : runtime.listSandboxes()) {
                runtime.removeSandbox(s.podUid());
            }
        } catch (Exception | AssertionError e) {
            failure = e;
        } finally {
            runtime.close();
            for (ProcessHandle p : processes()) {
                p.destroyForcibly();
                p.onExit().get();
            }
            PodCgroups.open(config.cgroupConfig()).removeAll();
            List<String> left = mounts();
            for (int i = left.size() - 1; i >= 0; i--) {
                try {
                    Sys.umount(Path.of(left.get(i)), Sys.MNT_DETACH);
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            StateFiles.deleteTree(dir);
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof AssertionError e) {
            throw e;
        }
        assertTrue(true);
    }
}
