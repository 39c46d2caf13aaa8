package io.capstan.node.cgroup;

import static io.capstan.node.cgroup.TestProcesses.await;
import static io.capstan.node.cgroup.TestProcesses.exitValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.PodResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod and container cgroups on this host's real hierarchies with the driver {@code auto} picks
 * (v1 with the unified directory on this hybrid machine), under a unique test root.
 */
class PodCgroupsTest {

    private final TestProcesses processes = new TestProcesses();
    private CgroupHost host;
    private String root;
    private PodCgroups cgroups;

    @BeforeEach
    void setUp() throws Exception {
        host = CgroupHost.detect();
        root = "capstan-test-" + UUID.randomUUID().toString().substring(0, 8);
        cgroups = PodCgroups.open(CgroupConfig.defaults().withRoot(root).withPidsLimits(128, 1024));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            processes.close();
            cgroups.removeAll();
        } finally {
            CgroupDriverContract.assertNothingLeft(host, root);
        }
    }

    private boolean v1() {
        return cgroups.driver().version().equals("v1");
    }

    /** A limit file of a container or pod, read from the hierarchy that holds it. */
    private String read(String controller, String path, String file) {
        Path dir = v1() ? host.v1(controller).orElseThrow().ownCgroup().resolve(root).resolve(path)
                : cgroups.driver().directories(path).get(0);
        return CgroupIo.read(dir.resolve(file));
    }

    @Test
    void podAndContainerCgroupsCarryTheirLimits() throws Exception {
        assertEquals("pods/burstable/poduid-1", cgroups.createPod("uid-1", new PodResources("Burstable", 0, 0, 300)));
        List<Path> procs = cgroups.createContainer("uid-1", "ctr1", new ContainerResources(64L << 20, 500, 250, 0));

        String c = "pods/burstable/poduid-1/ctr1";
        assertEquals(cgroups.driver().procsFiles(c), procs);
        if (v1()) {
            assertEquals(Long.toString(64L << 20), read("memory", c, "memory.limit_in_bytes"));
            assertEquals("50000", read("cpu", c, "cpu.cfs_quota_us"));
            assertEquals("100000", read("cpu", c, "cpu.cfs_period_us"));
            assertEquals("256", read("cpu", c, "cpu.shares"));
            assertEquals("128", read("pids", c, "pids.max"), "the node's default");
            assertEquals("307", read("cpu", "pods/burstable/poduid-1", "cpu.shares"));
            assertEquals("-1", read("cpu", "pods/burstable/poduid-1", "cpu.cfs_quota_us"));
            assertEquals("1024", read("pids", "pods/burstable/poduid-1", "pids.max"), "podPidsLimit");
            for (String controller : List.of("memory", "cpu", "cpuacct", "pids", "freezer", "devices")) {
                host.v1(controller).ifPresent(h -> assertEquals(1, procs.stream().filter(f -> f.startsWith(h.mountPoint())).count(),
                        "one procs file in the " + controller + " hierarchy: " + procs));
            }
            host.unified().ifPresent(h -> assertEquals(1, procs.stream().filter(f -> f.startsWith(h.mountPoint())).count(),
                    "one procs file in the unified hierarchy: " + procs));
            assertEquals(procs.size(), Set.copyOf(procs).size());
        } else {
            assertEquals(Long.toString(64L << 20), read("memory", c, "memory.max"));
            assertEquals("50000 100000", read("cpu", c, "cpu.max"));
            assertEquals("1", read("memory", c, "memory.oom.group"));
            assertEquals(1, procs.size());
        }
    }

    @Test
    void qosClassesGetTheirOwnParents() throws Exception {
        cgroups.createPod("g", new PodResources("Guaranteed", 64L << 20, 500, 500));
        cgroups.createPod("b", new PodResources("Burstable", 0, 0, 100));
        cgroups.createPod("e", PodResources.bestEffort());
        cgroups.createContainer("g", "g1", new ContainerResources(64L << 20, 500, 500, 0));
        cgroups.createContainer("e", "e1", ContainerResources.none());
        cgroups.createContainer("e", "e2", ContainerResources.none());

        assertEquals(Set.of(new PodCgroups.PodCgroup("g", "Guaranteed", List.of("g1")),
                new PodCgroups.PodCgroup("b", "Burstable", List.of()),
                new PodCgroups.PodCgroup("e", "BestEffort", List.of("e1", "e2"))), Set.copyOf(cgroups.list()));
        assertEquals(List.of("besteffort", "burstable", "podg"), cgroups.driver().children("pods"));
        if (v1()) {
            assertEquals("2", read("cpu", "pods/besteffort", "cpu.shares"));
            assertEquals("2", read("cpu", "pods/besteffort/pode/e1", "cpu.shares"));
            assertEquals(Long.toString(64L << 20), read("memory", "pods/podg", "memory.limit_in_bytes"));
            assertEquals("50000", read("cpu", "pods/podg", "cpu.cfs_quota_us"));
        }
    }

    @Test
    void theSandboxCgroupIsThePodsChildAndNoContainer() throws Exception {
        assertThrows(CgroupException.class, () -> cgroups.createSandbox("none"), "no pod cgroup yet");
        cgroups.createPod("s", new PodResources("Burstable", 0, 0, 100));
        cgroups.createContainer("s", "c1", ContainerResources.none());
        List<Path> procs = cgroups.createSandbox("s");
        assertEquals(cgroups.driver().procsFiles("pods/burstable/pods/sandbox"), procs);
        assertTrue(procs.stream().allMatch(Files::exists), procs.toString());
        assertEquals(List.of("c1", "sandbox"), cgroups.driver().children("pods/burstable/pods"));
        assertEquals(List.of(new PodCgroups.PodCgroup("s", "Burstable", List.of("c1"))), cgroups.list());
        assertEquals(procs, cgroups.createSandbox("s"), "again: the same cgroup");
        cgroups.removePod("s");
        assertEquals(List.of(), cgroups.list());
    }

    @Test
    void aContainerProcessJoinsIsThrottledIsKilledAndRemoved() throws Exception {
        cgroups.createPod("uid-2", new PodResources("Burstable", 0, 0, 100));
        List<Path> procs = cgroups.createContainer("uid-2", "busy", new ContainerResources(32L << 20, 100, 100, 0));
        Process p = processes.start(procs, "while :; do :; done");
        await("in every procs file", () -> procs.stream().allMatch(f ->
                List.of(String.valueOf(CgroupIo.read(f)).split("\n")).contains(Long.toString(p.pid()))));
        if (v1()) {
            await("throttled by the 10 ms quota", () -> CgroupIo.readKeyed(host.v1("cpu").orElseThrow().ownCgroup()
                    .resolve(root).resolve("pods/burstable/poduid-2/busy/cpu.stat")).getOrDefault("nr_throttled", 0L) > 0);
        }
        await("cpu usage", () -> cgroups.containerStats("uid-2", "busy").orElseThrow().cpuUsageNanos() > 0);
        assertTrue(cgroups.podStats("uid-2").orElseThrow().cpuUsageNanos() > 0);

        cgroups.killContainer("uid-2", "busy");
        assertEquals(137, exitValue(p));
        assertTrue(cgroups.driver().pids("pods/burstable/poduid-2/busy").isEmpty());
        assertEquals(0, cgroups.oomKills("uid-2", "busy"), "killed, not OOM-killed");

        cgroups.removeContainer("uid-2", "busy");
        assertEquals(List.of(), cgroups.procsFiles("uid-2", "busy"));
        for (Path d : cgroups.driver().directories("pods/burstable/poduid-2/busy")) {
            assertFalse(Files.exists(d), "left behind: " + d);
        }
        cgroups.removePod("uid-2");
        assertTrue(cgroups.podPath("uid-2").isEmpty());
        for (Path d : cgroups.driver().directories("pods/burstable/poduid-2")) {
            assertFalse(Files.exists(d), "left behind: " + d);
        }
    }

    @Test
    void aMemoryHogIsOomKilledAndCounted() throws Exception {
        cgroups.createPod("uid-3", new PodResources("Burstable", 0, 0, 0));
        List<Path> procs = cgroups.createContainer("uid-3", "hog", new ContainerResources(32L << 20, 0, 0, 0));
        Process p = processes.start(procs, "x=0123456789; while :; do x=$x$x; done");

        assertEquals(137, exitValue(p), "SIGKILL by the OOM killer");
        assertEquals(1, cgroups.oomKills("uid-3", "hog"));
        if (v1()) {
            assertEquals(0, cgroups.driver().oomKills("pods/burstable/poduid-3"), "v1 counts only the victim's own cgroup");
        } else {
            assertEquals(1, cgroups.driver().oomKills("pods/burstable/poduid-3"), "v2's memory.events is hierarchical");
        }
        cgroups.removePod("uid-3");
    }

    @Test
    void removingAPodKillsWhatIsLeft() throws Exception {
        cgroups.createPod("uid-4", PodResources.bestEffort());
        Process a = processes.start(cgroups.createContainer("uid-4", "a", ContainerResources.none()),
                "/bin/busybox sleep 60 & exec /bin/busybox sleep 60");
        Process b = processes.start(cgroups.createContainer("uid-4", "b", ContainerResources.none()), "exec /bin/busybox sleep 60");
        await("three processes", () -> cgroups.driver().pids("pods/besteffort/poduid-4").size() == 3);

        cgroups.removePod("uid-4");

        assertEquals(137, exitValue(a));
        assertEquals(137, exitValue(b));
        assertEquals(List.of(), cgroups.list());
    }

    @Test
    void limitsBelowWhatAContainerCanStartWithAreRefused() throws Exception {
        cgroups.createPod("uid-5", new PodResources("Burstable", 0, 0, 0));
        CgroupException e = assertThrows(CgroupException.class,
                () -> cgroups.createContainer("uid-5", "tiny", new ContainerResources(1L << 20, 0, 0, 0)));
        assertTrue(e.getMessage().contains("below the minimum of 6291456 bytes (6Mi)"), e.getMessage());
        assertFalse(cgroups.driver().exists("pods/burstable/poduid-5/tiny"));

        e = assertThrows(CgroupException.class,
                () -> cgroups.createContainer("nopod", "c", ContainerResources.none()));
        assertTrue(e.getMessage().contains("no cgroup for pod nopod"), e.getMessage());
        e = assertThrows(CgroupException.class,
                () -> cgroups.createContainer("uid-5", "../escape", ContainerResources.none()));
        assertTrue(e.getMessage().contains("invalid container id"), e.getMessage());
    }

    @Test
    void loweringTheLimitBelowUsageNamesTheKernelsError() throws Exception {
        assumeTrue(v1(), "on cgroup v2 the kernel OOM-kills instead of refusing a memory.max below usage");
        cgroups.createPod("uid-6", new PodResources("Burstable", 0, 0, 0));
        List<Path> procs = cgroups.createContainer("uid-6", "c", new ContainerResources(64L << 20, 0, 0, 0));
        Process p = processes.start(procs, "x=0123456789; i=0; while [ $i -lt 21 ]; do x=$x$x; i=$((i+1)); done; "
                + "/bin/busybox sleep 60");
        await("20 MiB in use", () -> cgroups.containerStats("uid-6", "c").orElseThrow().memoryUsageBytes() > (20L << 20));

        CgroupException e = assertThrows(CgroupException.class,
                () -> cgroups.createContainer("uid-6", "c", new ContainerResources(8L << 20, 0, 0, 0)));

        assertTrue(e.getMessage().contains("memory.limit_in_bytes: Device or resource busy"), e.getMessage());
        assertTrue(e.getMessage().contains("already uses more memory than 8388608 bytes"), e.getMessage());
        assertTrue(p.isAlive(), "the container keeps running");
        assertTrue(cgroups.driver().exists("pods/burstable/poduid-6/c"), "an existing cgroup is not removed");
    }

    @Test
    void onlyPrivilegedContainersReachEveryDevice() throws Exception {
        assumeTrue(v1() && host.v1("devices").isPresent(), "device restrictions need the v1 devices controller");
        cgroups.createPod("uid-8", PodResources.bestEffort());
        String probe = "echo hi > /dev/null || exit 3; ( : < /dev/kmsg ) 2>/dev/null && exit 4; exit 5";
        Process plain = processes.start(cgroups.createContainer("uid-8", "plain", ContainerResources.none()), probe);
        assertEquals(5, exitValue(plain), "/dev/null works, /dev/kmsg (1:11) is refused");
        Process privileged = processes.start(cgroups.createContainer("uid-8", "priv", ContainerResources.none(), true), probe);
        assertEquals(4, exitValue(privileged), "a privileged container opens /dev/kmsg");
        assertEquals("a *:* rwm", read("devices", "pods/besteffort/poduid-8", "devices.list"), "the pod level stays open");
    }

    @Test
    void everyCgroupFileTheShimOpensIsACgroupProcsFile() throws Exception {
        cgroups.createPod("uid-7", PodResources.bestEffort());
        List<Path> procs = cgroups.createContainer("uid-7", "c", ContainerResources.none());
        Set<Path> mounts = host.v1().stream().map(CgroupHost.Hierarchy::mountPoint).collect(Collectors.toSet());
        host.unified().ifPresent(u -> mounts.add(u.mountPoint()));
        for (Path f : procs) {
            assertEquals("cgroup.procs", f.getFileName().toString());
            assertTrue(Files.isWritable(f), f.toString());
            assertTrue(mounts.stream().anyMatch(f::startsWith), f + " on a cgroup mount");
        }
    }
}
