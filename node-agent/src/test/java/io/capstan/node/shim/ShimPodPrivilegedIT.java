package io.capstan.node.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cri.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandboxes, exec, re-adoption and cgroups with the real shim (needs root). */
@Tag("privileged")
class ShimPodPrivilegedIT {
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
    void containersOfOneSandboxTalkOverLocalhostAndShareTheHostname() throws Exception {
        ShimProcess holder = fx.start(new SandboxLaunch(fx.state(), "capstan-pod", null, false));
        long holderPid = holder.awaitStarted(ShimFixture.WAIT);
        ShimProcess server = fx.start(fx.container("/bin/sh", "-c", "nc -l -p 8080 -e echo hello; sleep 1000")
                .joinSandbox(holderPid, false)
                .build());
        long serverPid = server.awaitStarted(ShimFixture.WAIT);

        String out = fx.output(fx.container("/bin/sh", "-c",
                        "hostname; i=0; while [ $i -lt 300 ]; do nc 127.0.0.1 8080 </dev/null 2>/dev/null && exit 0;"
                                + " i=$((i+1)); sleep 0.1; done; exit 1")
                .joinSandbox(holderPid, false));
        assertEquals("capstan-pod\nhello\n", out);
        assertEquals(Files.readSymbolicLink(Path.of("/proc", "" + holderPid, "ns/net")),
                Files.readSymbolicLink(Path.of("/proc", "" + serverPid, "ns/net")));
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
                Files.readSymbolicLink(Path.of("/proc", "" + holderPid, "ns/net")));

        assertTrue(holder.terminate());
        ExitStatus status = holder.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(0, status.exitCode());
    }

    @Test
    void podSysctlsApplyInTheSandboxNamespacesOnly() throws Exception {
        String hostValue = Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"));
        ShimProcess holder = fx.start(new SandboxLaunch(fx.state(), "capstan-sysctl", null, false,
                java.util.Map.of("net.ipv4.ip_unprivileged_port_start", "80", "kernel.shm_rmid_forced", "1")));
        long holderPid = holder.awaitStarted(ShimFixture.WAIT);
        String out = fx.output(fx.container("/bin/sh", "-c",
                        "cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/shm_rmid_forced")
                .joinSandbox(holderPid, false));
        assertEquals("80\n1\n", out);
        assertEquals(hostValue, Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")));

        ShimProcess refused = fx.start(new SandboxLaunch(fx.state(), null, null, false, java.util.Map.of("vm.swappiness", "1")));
        ShimStartException e = assertThrows(ShimStartException.class, () -> refused.awaitStarted(ShimFixture.WAIT));
        assertEquals("capstan-shim: sysctl vm.swappiness is not namespaced", e.getMessage());
    }

    @Test
    void aSandboxCanJoinAPreparedNetworkNamespace() throws Exception {
        ShimProcess prepared = fx.start(new SandboxLaunch(fx.state(), "capstan-cni", null, false));
        long preparedPid = prepared.awaitStarted(ShimFixture.WAIT);
        Path netns = Path.of("/proc", "" + preparedPid, "ns/net");
        ShimProcess holder = fx.start(new SandboxLaunch(fx.state(), "capstan-joined", netns, false));
        long holderPid = holder.awaitStarted(ShimFixture.WAIT);
        assertEquals(Files.readSymbolicLink(netns), Files.readSymbolicLink(Path.of("/proc", "" + holderPid, "ns/net")));
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc", "" + preparedPid, "ns/uts")),
                Files.readSymbolicLink(Path.of("/proc", "" + holderPid, "ns/uts")));
    }

    @Test
    void aSandboxWithAPidNamespaceIsPid1ForItsContainers() throws Exception {
        ShimProcess holder = fx.start(new SandboxLaunch(fx.state(), "capstan-shared", null, true));
        long holderPid = holder.awaitStarted(ShimFixture.WAIT);
        String out = fx.output(fx.container("/bin/sh", "-c", "cat /proc/1/comm; echo $$").joinSandbox(holderPid, true));
        String[] lines = out.split("\n");
        assertEquals("capstan-shim", lines[0]);
        assertNotEquals("1", lines[1]);

        // the holder is the pod's init: it reaps what containers orphan
        ShimProcess c = fx.start(fx.container("/bin/sh", "-c", "(sleep 1 &); exec sleep 1000").joinSandbox(holderPid, true).build());
        long pid = c.awaitStarted(ShimFixture.WAIT);
        // `sleep 1` runs, then is a zombie unless reaped: wait until only `sleep 1000` is left
        ShimFixture.await("the orphan reaped by the holder", () -> fx.shim.exec(ExecLaunch.builder(pid,
                        List.of("/bin/sh", "-c", "cat /proc/[0-9]*/stat")).build(), ShimFixture.WAIT)
                .output().lines().filter(l -> l.matches("^\\d+ \\(sleep\\) .*")).count() == 1);
        assertEquals("capstan-shim\n", fx.shim.exec(ExecLaunch.builder(pid, List.of("cat", "/proc/1/comm")).build(),
                ShimFixture.WAIT).output());
    }

    @Test
    void execJoinsARunningContainer() throws Exception {
        ShimProcess c = fx.start(fx.container("/bin/sleep", "1000").hostname("capstan-exec").build());
        long pid = c.awaitStarted(ShimFixture.WAIT);

        ExecResult r = fx.shim.exec(ExecLaunch.builder(pid, List.of("/bin/sh", "-c",
                        "hostname; cat /proc/1/comm; ls /proc/1/fd; grep CapEff /proc/self/status; echo $MODE"))
                .env("MODE", "probe")
                .build(), ShimFixture.WAIT);
        assertEquals(new ExecResult(0, "capstan-exec\nsleep\n0\n1\n2\nCapEff:\t00000000a80425fb\nprobe\n", false), r);

        ExecResult asUser = fx.shim.exec(ExecLaunch.builder(pid, List.of("id"))
                .privileges(new Privileges(65534L, 65534L, List.of(), List.of(), List.of(), false, true))
                .build(), ShimFixture.WAIT);
        assertEquals("uid=65534 gid=65534\n", asUser.output());

        ExecResult missing = fx.shim.exec(ExecLaunch.builder(pid, List.of("nosuch")).build(), ShimFixture.WAIT);
        assertEquals(125, missing.exitCode());
        assertEquals("capstan-shim: exec \"nosuch\": No such file or directory (errno 2)\n", missing.output());

        ExecResult slow = fx.shim.exec(ExecLaunch.builder(pid, List.of("sleep", "1000")).build(), Duration.ofMillis(200));
        assertTrue(slow.timedOut());
        assertEquals(-1, slow.exitCode());
        assertTrue(c.isRunning());
    }

    @Test
    void aRunningContainerIsReadoptedFromItsStateDirectory() throws Exception {
        Path state = fx.state();
        ShimProcess launched = fx.start(ContainerLaunch.builder(fx.rootfs, state, List.of("/bin/sleep", "1000")).build());
        long pid = launched.awaitStarted(ShimFixture.WAIT);
        launched = null; // the launching object is gone, as after an agent restart
        // an upgrade replaced the binary meanwhile: the running shim's exe is now "(deleted)"
        Path copy = fx.shim.binary().resolveSibling("capstan-shim.new");
        Files.copy(fx.shim.binary(), copy);
        Files.move(copy, fx.shim.binary(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        ShimProcess adopted = ShimProcess.adopt(state);
        assertTrue(adopted.isRunning());
        assertEquals(pid, adopted.pid().orElseThrow());
        assertTrue(adopted.startedAt().isPresent());
        assertTrue(adopted.exitStatus().isEmpty());
        assertTrue(adopted.kill());
        ExitStatus status = adopted.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(137, status.exitCode());
        assertEquals(9, status.signal());

        ShimProcess later = ShimProcess.adopt(state);
        assertFalse(later.isRunning());
        assertEquals(status, later.onExit().getNow(null));
    }

    @Test
    void theShimKeepsTheContainerAndItsLogsGoingWithoutItsLauncher() throws Exception {
        Path state = Files.createDirectories(fx.state());
        Path log = tmp.resolve("flow.log");
        ContainerLaunch launch = ContainerLaunch.builder(fx.rootfs, state, List.of("/bin/sh", "-c",
                        "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.05; done"))
                .log(log)
                .build();
        // A launcher that starts the shim in the background and exits at once, as a dying agent would.
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "\"$0\" \"$@\" </dev/null >\"$STATE/shim.out\" 2>&1 & echo $! > \"$STATE/shim.pid\"",
                fx.shim.binary().toString()));
        command.addAll(launch.arguments());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("STATE", state.toString());
        assertEquals(0, pb.start().waitFor());
        // the agent "restarts" once the container runs (before that, $! may not have exec'd the shim yet)
        ShimFixture.await("the container's pidfile", () -> Files.exists(state.resolve("pid")));

        ShimProcess adopted = fx.track(ShimProcess.adopt(state));
        long pid = adopted.awaitStarted(ShimFixture.WAIT);
        long shimPid = Long.parseLong(Files.readString(state.resolve("shim.pid")).trim());
        assertNotEquals(ProcessHandle.current().pid(),
                ProcessHandle.of(shimPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L));
        ShimFixture.await("ten log lines", () -> Files.exists(log) && ShimFixture.criLines(log).size() >= 10);
        assertEquals("stdout F line 9", ShimFixture.criLines(log).get(9));

        assertTrue(adopted.kill());
        assertEquals(137, adopted.onExit().get(30, TimeUnit.SECONDS).exitCode());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void signalsToTheShimAreForwardedToTheContainer() throws Exception {
        Path state = fx.state();
        Path log = tmp.resolve("trap.log");
        ShimProcess c = fx.start(ContainerLaunch.builder(fx.rootfs, state, List.of("/bin/sh", "-c",
                        "trap 'echo got TERM; exit 3' TERM; echo ready; while true; do sleep 0.05; done"))
                .log(log)
                .build());
        c.awaitStarted(ShimFixture.WAIT);
        ShimFixture.await("the trap", () -> Files.exists(log) && !ShimFixture.criLines(log).isEmpty());
        long shimPid = Long.parseLong(Files.readString(state.resolve("shim.pid")).trim());
        assertTrue(ProcessHandle.of(shimPid).orElseThrow().destroy()); // SIGTERM to the shim itself
        ExitStatus status = c.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(3, status.exitCode());
        assertEquals(List.of("stdout F ready", "stdout F got TERM"), ShimFixture.criLines(log));
    }

    @Test
    void mountTargetsResolveInsideTheRootfsEvenThroughAbsoluteSymlinks() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path volume = Files.createDirectories(tmp.resolve("volume"));
        Files.writeString(volume.resolve("hello"), "hi\n");
        Files.createSymbolicLink(fx.rootfs.resolve("escape"), outside); // absolute host path
        Files.createDirectories(fx.rootfs.resolve(outside.toString().substring(1))); // same path in the image
        String out = fx.output(fx.container("/bin/sh", "-c", "cat /escape/data/hello").mount(volume, "/escape/data", true));
        assertEquals("hi\n", out);
        try (var entries = Files.list(outside)) {
            assertEquals(0, entries.count(), "nothing was created or mounted on the host path");
        }
    }

    @Test
    void theContainerAndItsExecsJoinTheGivenCgroupButTheShimDoesNot() throws Exception {
        Path pids = Path.of("/sys/fs/cgroup/pids");
        assumeTrue(Files.isDirectory(pids), "no cgroup v1 pids hierarchy on this machine");
        Path cgroup = pids.resolve("capstan-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cgroup);
        try {
            Path procs = cgroup.resolve("cgroup.procs");
            Path state = fx.state();
            ShimProcess c = fx.start(ContainerLaunch.builder(fx.rootfs, state, List.of("/bin/sleep", "1000"))
                    .cgroupProcs(procs)
                    .build());
            long pid = c.awaitStarted(ShimFixture.WAIT);
            List<String> members = Files.readAllLines(procs);
            assertEquals(List.of(Long.toString(pid)), members);
            assertFalse(members.contains(Files.readString(state.resolve("shim.pid")).trim()));

            ExecResult r = fx.shim.exec(ExecLaunch.builder(pid, List.of("grep", ":pids:", "/proc/self/cgroup"))
                    .cgroupProcs(procs)
                    .build(), ShimFixture.WAIT);
            assertTrue(r.output().trim().endsWith(":pids:/"), r.output());

            // its own cgroup is the root of the read-only /sys/fs/cgroup it sees
            Files.writeString(cgroup.resolve("pids.max"), "77");
            ExecResult limit = fx.shim.exec(ExecLaunch.builder(pid, List.of("/bin/sh", "-c",
                            "cat /sys/fs/cgroup/pids/pids.max; echo 1 > /sys/fs/cgroup/pids/pids.max"))
                    .build(), ShimFixture.WAIT);
            assertEquals("77\n/bin/sh: can't create /sys/fs/cgroup/pids/pids.max: Read-only file system\n",
                    limit.output());
        } finally {
            fx.close();
            Files.deleteIfExists(cgroup);
        }
    }

    /**
     * A cgroup2 directory is joined at creation (clone3 into the cgroup) and every v1 hierarchy
     * through its tasks file; either way the container and its execs are members, the shim is not.
     */
    @Test
    void aCgroup2DirectoryAndAV1HierarchyAreJoinedTogether() throws Exception {
        Path v2 = cgroup2Mount();
        Path pids = Path.of("/sys/fs/cgroup/pids");
        assumeTrue(v2 != null, "no cgroup2 hierarchy on this machine");
        String name = "capstan-test-" + UUID.randomUUID().toString().substring(0, 8);
        Path unified = v2.resolve(name);
        Path v1 = Files.isDirectory(pids) ? pids.resolve(name) : null;
        Files.createDirectory(unified);
        if (v1 != null) {
            Files.createDirectory(v1);
        }
        try {
            Path state = fx.state();
            ContainerLaunch.Builder launch = ContainerLaunch.builder(fx.rootfs, state, List.of("/bin/sleep", "1000"))
                    .cgroupProcs(unified.resolve("cgroup.procs"));
            if (v1 != null) {
                launch.cgroupProcs(v1.resolve("cgroup.procs"));
            }
            ShimProcess c = fx.start(launch.build());
            long pid = c.awaitStarted(ShimFixture.WAIT);
            assertEquals(List.of(Long.toString(pid)), Files.readAllLines(unified.resolve("cgroup.procs")));
            if (v1 != null) {
                assertEquals(List.of(Long.toString(pid)), Files.readAllLines(v1.resolve("cgroup.procs")));
            }
            String shimPid = Files.readString(state.resolve("shim.pid")).trim();
            assertTrue(Files.readString(Path.of("/proc", shimPid, "cgroup")).lines()
                    .noneMatch(l -> l.endsWith("/" + name)), "the shim stays where it was");

            ExecLaunch.Builder exec = ExecLaunch.builder(pid, List.of("cat", "/proc/self/cgroup"))
                    .cgroupProcs(unified.resolve("cgroup.procs"));
            if (v1 != null) {
                exec.cgroupProcs(v1.resolve("cgroup.procs"));
            }
            ExecResult r = fx.shim.exec(exec.build(), ShimFixture.WAIT);
            // inside the container's cgroup namespace its own cgroup is the root
            assertTrue(r.output().lines().anyMatch(l -> l.equals("0::/")), r.output());
            if (v1 != null) {
                assertTrue(r.output().lines().anyMatch(l -> l.endsWith(":pids:/")), r.output());
            }
        } finally {
            fx.close();
            Files.deleteIfExists(unified);
            if (v1 != null) {
                Files.deleteIfExists(v1);
            }
        }
    }

    /** Where a cgroup2 hierarchy is mounted ({@code /sys/fs/cgroup} or, hybrid, its {@code unified}). */
    private static Path cgroup2Mount() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[2].equals("cgroup2")) {
                return Path.of(f[1]);
            }
        }
        return null;
    }
}
