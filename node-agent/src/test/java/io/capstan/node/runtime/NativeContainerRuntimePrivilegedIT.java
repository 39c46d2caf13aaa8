package io.capstan.node.runtime;

import static io.capstan.node.runtime.RuntimeFixture.awaitLog;
import static io.capstan.node.runtime.RuntimeFixture.log;
import static io.capstan.node.runtime.RuntimeFixture.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ContainerStatus.ContainerState;
import io.capstan.node.cri.ExecResult;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SandboxStatus;
import io.capstan.node.cri.SecuritySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The native runtime with real images, overlay mounts, cgroups, namespaces and shims (root only). */
@Tag("privileged")
class NativeContainerRuntimePrivilegedIT {
    /** Waits for /tmp/go in its root filesystem, then exits with the code given; exits 0 on SIGTERM. */
    private static String waitForGo(int code) {
        return "trap 'exit 0' TERM; while [ ! -e /tmp/go ]; do sleep 0.05; done; exit " + code;
    }

    private RuntimeFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new RuntimeFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void echoHiCompletesWithItsOutputInTheCriLog() throws Exception {
        List<ContainerStatus> exits = new CopyOnWriteArrayList<>();
        f.runtime.addExitListener(exits::add);
        SandboxSpec pod = f.sandbox("hello");
        SandboxStatus sandbox = f.runtime.runSandbox(pod);
        assertTrue(sandbox.ready());
        ContainerStatus c = f.runtime.startContainer(sh(pod, "hi", "echo hi"));
        assertEquals(64, c.id().length());
        assertTrue(c.id().matches("[0-9a-f]{64}"), c.id());
        assertEquals(f.dataDir.resolve("logs/default_hello_" + pod.podUid() + "/hi/0.log"), c.logPath());
        ContainerStatus done = f.awaitExit(c.id());
        assertEquals(0, done.exitCode());
        assertEquals("Completed", done.reason());
        assertEquals(0, done.pid());
        assertTrue(Files.readString(c.logPath()).matches("(?s)\\S+Z stdout F hi\n"), Files.readString(c.logPath()));
        Await.until("the exit is reported", () -> exits.size() == 1, exits::toString);
        assertEquals(c.id(), exits.get(0).id());
        assertEquals("Completed", exits.get(0).reason());
        Await.holds("no second report", () -> exits.size() == 1, Duration.ofMillis(300), exits::toString);
        assertEquals(f.runtime.containerStatus(c.id()).orElseThrow().imageId().trim(),
                Files.readString(f.config.containersDir().resolve(c.id()).resolve("image-id")).trim());
    }

    @Test
    void commandArgsAndEnvMergeWithTheImageConfig() throws Exception {
        SandboxSpec pod = f.sandbox("merge");
        f.runtime.runSandbox(pod);
        ContainerStatus image = f.runtime.startContainer(
                RuntimeFixture.container(pod, "image-defaults", RuntimeFixture.MERGE_IMAGE, List.of()));
        ContainerSpec argsOnly = new ContainerSpec(pod.podUid(), "args-only", 0, RuntimeFixture.MERGE_IMAGE, List.of(),
                List.of("pod-arg"), List.of(), null, SecuritySpec.defaults(), ContainerResources.none(), List.of(), false, false);
        ContainerStatus args = f.runtime.startContainer(argsOnly);
        ContainerSpec command = new ContainerSpec(pod.podUid(), "command", 0, RuntimeFixture.MERGE_IMAGE,
                List.of("sh", "-c"), List.of("echo \"$FOO $BAR $NEW $(pwd) $*\"", "ignored-0", "more"),
                List.of(new ContainerSpec.EnvVar("FOO", "pod"), new ContainerSpec.EnvVar("NEW", "new")), null,
                SecuritySpec.defaults(), ContainerResources.none(), List.of(), false, false);
        ContainerStatus cmd = f.runtime.startContainer(command);
        for (ContainerStatus c : List.of(image, args, cmd)) {
            assertEquals(0, f.awaitExit(c.id()).exitCode(), c.name());
        }
        assertEquals("from-entrypoint default-cmd\n", log(image));
        assertEquals("from-entrypoint pod-arg\n", log(args));
        assertEquals("pod image new /tmp more\n", log(cmd));
    }

    @Test
    void containersOfASandboxShareLocalhostAndTheHostname() throws Exception {
        SandboxSpec pod = f.sandbox("pair");
        SandboxStatus sandbox = f.runtime.runSandbox(pod);
        ContainerStatus server = f.runtime.startContainer(sh(pod, "server", "hostname; nc -l -p 8080 -e echo from-server"));
        ContainerStatus client = f.runtime.startContainer(sh(pod, "client",
                "hostname; until nc 127.0.0.1 8080 </dev/null; do sleep 0.1; done"));
        assertEquals(0, f.awaitExit(client.id()).exitCode());
        assertEquals("pair\nfrom-server\n", log(client));
        assertEquals(0, f.awaitExit(server.id()).exitCode());
        assertEquals("pair\n", log(server));
        long holder = Long.parseLong(sandbox.netnsPath().split("/")[2]);
        assertEquals("/proc/" + holder + "/ns/net", sandbox.netnsPath());
        ContainerStatus third = f.runtime.startContainer(sh(pod, "third", "sleep 3600"));
        assertEquals(Files.readSymbolicLink(Path.of(sandbox.netnsPath())),
                Files.readSymbolicLink(Path.of("/proc/" + third.pid() + "/ns/net")));
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + holder + "/ns/uts")),
                Files.readSymbolicLink(Path.of("/proc/" + third.pid() + "/ns/uts")));
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/" + holder + "/ns/mnt")),
                Files.readSymbolicLink(Path.of("/proc/" + third.pid() + "/ns/mnt")));
        assertEquals(sandbox, f.runtime.runSandbox(pod), "runSandbox is idempotent");
    }

    @Test
    void theHolderRunsInThePodsSandboxCgroup() throws Exception {
        SandboxSpec pod = f.sandbox("held");
        SandboxStatus sandbox = f.runtime.runSandbox(pod);
        String holder = sandbox.netnsPath().split("/")[2];
        String path = f.runtime.cgroups().podPath(pod.podUid()).orElseThrow() + "/" + PodCgroups.SANDBOX;
        List<Path> procs = f.runtime.cgroups().driver().procsFiles(path);
        assertFalse(procs.isEmpty());
        for (Path p : procs) {
            assertEquals(List.of(holder), Files.readAllLines(p), p.toString());
        }
        assertEquals(List.of(), f.runtime.cgroups().list().get(0).containerIds(),
                "the sandbox cgroup is no container's");
        f.runtime.removeSandbox(pod.podUid());
        assertEquals(List.of(), f.runtime.cgroups().list());
    }

    @Test
    void aFileWrittenInOneContainerIsNotSeenByAnotherOfTheSameImage() throws Exception {
        SandboxSpec pod = f.sandbox("files");
        f.runtime.runSandbox(pod);
        ContainerStatus writer = f.runtime.startContainer(sh(pod, "writer", "echo secret > /etc/written && cat /etc/written"));
        assertEquals(0, f.awaitExit(writer.id()).exitCode());
        assertEquals("secret\n", log(writer));
        ContainerStatus reader = f.runtime.startContainer(sh(pod, "reader", "test ! -e /etc/written && echo absent"));
        assertEquals(0, f.awaitExit(reader.id()).exitCode(), () -> "reader saw the writer's file");
        assertEquals("absent\n", log(reader));
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        SandboxSpec pod = f.sandbox("oom");
        f.runtime.runSandbox(pod);
        ContainerSpec hog = new ContainerSpec(pod.podUid(), "hog", 0, RuntimeFixture.IMAGE,
                List.of("sh", "-c", "x=0123456789; while :; do x=$x$x; done"), List.of(), List.of(), null,
                SecuritySpec.defaults(), new ContainerResources(24L << 20, 0, 0, 0), List.of(), false, false);
        ContainerStatus c = f.runtime.startContainer(hog);
        ContainerStatus done = f.awaitExit(c.id());
        assertEquals(137, done.exitCode());
        assertEquals("OOMKilled", done.reason());
    }

    @Test
    void aMissingCommandIsARunContainerErrorAndLeavesNothing() throws Exception {
        SandboxSpec pod = f.sandbox("missing");
        f.runtime.runSandbox(pod);
        RuntimeFailure e = assertThrows(RuntimeFailure.class,
                () -> f.runtime.startContainer(RuntimeFixture.container(pod, "bad", RuntimeFixture.IMAGE, List.of("no-such-cmd"))));
        assertEquals("RunContainerError", e.reason());
        assertTrue(e.getMessage().contains("no-such-cmd"), e.getMessage());
        assertEquals(List.of(), f.runtime.listContainers());
        try (var s = Files.list(f.config.containersDir())) {
            assertEquals(0, s.count());
        }
        assertEquals(List.of(), f.runtime.cgroups().list().get(0).containerIds());
        RuntimeFailure missing = assertThrows(RuntimeFailure.class,
                () -> f.runtime.startContainer(RuntimeFixture.container(pod, "x", "nosuch:1", List.of("sh"))));
        assertEquals("CreateContainerError", missing.reason());
        assertTrue(missing.getMessage().contains("nosuch:1"), missing.getMessage());
    }

    @Test
    void stopGivesTheGracePeriodThenKills() throws Exception {
        SandboxSpec pod = f.sandbox("stop");
        f.runtime.runSandbox(pod);
        ContainerStatus trapping = f.runtime.startContainer(sh(pod, "trapping",
                "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.05; done"));
        ContainerStatus ignoring = f.runtime.startContainer(sh(pod, "ignoring",
                "trap '' TERM; echo ready; while :; do sleep 0.05; done"));
        awaitLog(trapping, "ready");
        awaitLog(ignoring, "ready");
        ContainerStatus stopped = f.runtime.stopContainer(trapping.id(), Duration.ofSeconds(20));
        assertEquals(ContainerState.EXITED, stopped.state());
        assertEquals(0, stopped.exitCode());
        assertTrue(log(trapping).contains("bye"));
        ContainerStatus killed = f.runtime.stopContainer(ignoring.id(), Duration.ofMillis(500));
        assertEquals(137, killed.exitCode());
        assertEquals("Error", killed.reason());
        assertEquals(killed, f.runtime.stopContainer(ignoring.id(), Duration.ofSeconds(1)), "stopping again changes nothing");
    }

    @Test
    void execReturnsOutputAndExitCode() throws Exception {
        SandboxSpec pod = f.sandbox("exec");
        f.runtime.runSandbox(pod);
        ContainerSpec spec = new ContainerSpec(pod.podUid(), "app", 0, RuntimeFixture.IMAGE, List.of("sleep", "3600"),
                List.of(), List.of(new ContainerSpec.EnvVar("GREETING", "hello")), "/tmp", SecuritySpec.defaults(),
                ContainerResources.none(), List.of(), false, false);
        ContainerStatus c = f.runtime.startContainer(spec);
        ExecResult r = f.runtime.exec(c.id(), List.of("sh", "-c", "echo $GREETING from $(pwd) $(hostname); exit 3"),
                Duration.ofSeconds(20));
        assertEquals(3, r.exitCode());
        assertEquals("hello from /tmp exec\n", r.output());
        assertFalse(r.timedOut());
        ExecResult slow = f.runtime.exec(c.id(), List.of("sleep", "30"), Duration.ofMillis(300));
        assertTrue(slow.timedOut());
        assertEquals(-1, slow.exitCode());
    }

    @Test
    void aNewRuntimeAdoptsRunningContainersAndSeesExitsThatHappenedMeanwhile() throws Exception {
        SandboxSpec pod = f.sandbox("restart");
        f.runtime.runSandbox(pod);
        ContainerStatus stays = f.runtime.startContainer(sh(pod, "stays", waitForGo(3)));
        ContainerStatus ends = f.runtime.startContainer(sh(pod, "ends", waitForGo(7)));
        f.runtime.close();
        Files.writeString(Path.of("/proc/" + ends.pid() + "/root/tmp/go"), "");
        Await.until("the container exits while no runtime runs",
                () -> Files.exists(f.config.containersDir().resolve(ends.id()).resolve("exit")));

        NativeContainerRuntime again = f.reopen();
        List<ContainerStatus> exits = new CopyOnWriteArrayList<>();
        again.addExitListener(exits::add);
        ContainerStatus adopted = again.containerStatus(stays.id()).orElseThrow();
        assertEquals(ContainerState.RUNNING, adopted.state());
        assertEquals(stays.pid(), adopted.pid());
        assertEquals(stays.startedAt(), adopted.startedAt());
        ContainerStatus exited = again.containerStatus(ends.id()).orElseThrow();
        assertEquals(ContainerState.EXITED, exited.state());
        assertEquals(7, exited.exitCode());
        assertEquals("Error", exited.reason());
        assertEquals(1, again.listSandboxes().size());
        assertTrue(again.listSandboxes().get(0).ready());

        ContainerStatus late = again.startContainer(sh(pod, "late", "hostname"));
        assertEquals(0, f.awaitExit(late.id()).exitCode());
        assertEquals("restart\n", log(late), "a new container joins the adopted sandbox");

        Files.writeString(Path.of("/proc/" + stays.pid() + "/root/tmp/go"), "");
        Await.until("the adopted container's exit is reported", () -> exits.stream().anyMatch(
                e -> e.id().equals(stays.id())), exits::toString);
        assertEquals(3, exits.stream().filter(e -> e.id().equals(stays.id())).findFirst().orElseThrow().exitCode());
        assertEquals(3, again.listContainers().size());
    }

    @Test
    void nothingRemainsAfterRemoval() throws Exception {
        SandboxSpec pod = f.sandbox("gone");
        f.runtime.runSandbox(pod);
        ContainerStatus c = f.runtime.startContainer(sh(pod, "app", "echo hi; sleep 3600"));
        awaitLog(c, "hi");
        assertFalse(f.mounts().isEmpty());
        f.runtime.stopContainer(c.id(), Duration.ZERO);
        f.runtime.removeContainer(c.id());
        assertTrue(Files.exists(c.logPath()), "the log stays until the sandbox is removed");
        assertEquals(List.of(), f.runtime.listContainers());
        f.runtime.removeSandbox(pod.podUid());
        assertEquals(List.of(), f.runtime.listSandboxes());
        f.runtime.close();
        f.assertNothingLeft();
    }

    @Test
    void theVfsDriverRunsContainersToo() throws Exception {
        try (RuntimeFixture vfs = new RuntimeFixture("vfs")) {
            SandboxSpec pod = vfs.sandbox("vfs");
            vfs.runtime.runSandbox(pod);
            ContainerStatus c = vfs.runtime.startContainer(sh(pod, "app", "echo on-vfs > /tmp/x && cat /tmp/x"));
            assertEquals(0, vfs.awaitExit(c.id()).exitCode());
            assertEquals("on-vfs\n", log(c));
            assertTrue(Files.isDirectory(vfs.dataDir.resolve("graph/vfs/containers").resolve(c.id())));
            vfs.runtime.removeContainer(c.id());
            vfs.runtime.removeSandbox(pod.podUid());
            vfs.runtime.close();
            vfs.assertNothingLeft();
        }
    }

    @Test
    void concurrentStartsOfANewImageUnpackItOnce() throws Exception {
        SandboxSpec pod = f.sandbox("concurrent");
        f.runtime.runSandbox(pod);
        Path unpacked = f.dataDir.resolve("graph/overlay/layers");
        if (Files.exists(unpacked)) {
            try (var s = Files.list(unpacked)) {
                assertEquals(0, s.count(), "no layer is unpacked yet");
            }
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<ContainerStatus>> started = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "c" + i;
                started.add(pool.submit(() -> f.runtime.startContainer(sh(pod, name, "echo " + name))));
            }
            for (int i = 0; i < 4; i++) {
                ContainerStatus c = started.get(i).get();
                assertEquals(0, f.awaitExit(c.id()).exitCode());
                assertEquals("c" + i + "\n", log(c));
            }
        } finally {
            pool.shutdown();
        }
        try (var layers = Files.list(f.dataDir.resolve("graph/overlay/layers"))) {
            assertEquals(1, layers.count(), "one busybox layer");
        }
    }

    @Test
    void mountsReadOnlyRootAndUserFromTheSpec() throws Exception {
        Path volume = Files.createDirectories(f.dir.resolve("volume"));
        Files.writeString(volume.resolve("x"), "from-host");
        SandboxSpec pod = f.sandbox("secure");
        f.runtime.runSandbox(pod);
        SecuritySpec security = new SecuritySpec(1000L, 2000L, List.of(3000L), List.of(), List.of(), false, true, true);
        ContainerSpec spec = new ContainerSpec(pod.podUid(), "app", 0, RuntimeFixture.IMAGE, List.of("sh", "-c",
                "cat /data/x; echo; id -u; id -g; id -G; touch /etc/y 2>/dev/null || echo rootfs-ro;"
                        + " touch /data/y 2>/dev/null || echo volume-ro"), List.of(), List.of(), null, security,
                ContainerResources.none(), List.of(new ContainerSpec.MountSpec(volume.toString(), "/data", true)),
                false, false);
        ContainerStatus c = f.runtime.startContainer(spec);
        assertEquals(0, f.awaitExit(c.id()).exitCode(), () -> {
            try {
                return log(c);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        assertEquals("from-host\n1000\n2000\n2000 3000\nrootfs-ro\nvolume-ro\n", log(c));
        ContainerSpec noVolumes = new ContainerSpec(pod.podUid(), "plain", 0, RuntimeFixture.IMAGE, List.of("sh", "-c",
                "touch /etc/y 2>/dev/null || echo rootfs-ro"), List.of(), List.of(), null,
                new SecuritySpec(null, null, List.of(), List.of(), List.of(), false, true, true),
                ContainerResources.none(), List.of(), false, false);
        ContainerStatus plain = f.runtime.startContainer(noVolumes);
        assertEquals(0, f.awaitExit(plain.id()).exitCode());
        assertEquals("rootfs-ro\n", log(plain));
    }
}
