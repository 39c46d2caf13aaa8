package io.capstan.node.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cri.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandboxes, exec, re-adoption and cgroups with the real shim (needs root). */
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
    void aSandboxWithAPidNamespaceIsPid1ForItsContainers() throws Exception {
        ShimProcess holder = fx.start(new SandboxLaunch(fx.state(), "capstan-shared", null, true));
        long holderPid = holder.awaitStarted(ShimFixture.WAIT);
        String out = fx.output(fx.container("/bin/sh", "-c", "cat /proc/1/comm; echo $$").joinSandbox(holderPid, true));
        String[] lines = out.split("\n");
        assertEquals("capstan-shim", lines[0]);
        assertNotEquals("1", lines[1]);
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
        } finally {
            fx.close();
            Files.deleteIfExists(cgroup);
        }
    }
}
