package io.capstan.node.cgroup;

import static io.capstan.node.cgroup.TestProcesses.await;
import static io.capstan.node.cgroup.TestProcesses.exitValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CgroupDriver} does, run against the real hierarchies of this host under a
 * unique {@code capstan-test-<rand>} root that is removed (with its processes) after each test.
 */
abstract class CgroupDriverContract {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    protected CgroupHost host;
    protected String root;
    protected CgroupDriver driver;
    protected final TestProcesses processes = new TestProcesses();

    /** The driver under test over {@code host}, rooted at {@code root}; skips if the host lacks it. */
    protected abstract CgroupDriver newDriver(CgroupHost host, String root);

    @BeforeEach
    void setUpDriver() throws Exception {
        host = CgroupHost.detect();
        root = "capstan-test-" + UUID.randomUUID().toString().substring(0, 8);
        driver = newDriver(host, root);
    }

    @AfterEach
    void removeEverything() throws Exception {
        try {
            processes.close();
            if (driver != null) {
                driver.kill("", TIMEOUT);
                driver.remove("", TIMEOUT);
            }
        } finally {
            assertNothingLeft(host, root);
        }
    }

    /** No directory named {@code root} below the agent's own cgroup in any mounted hierarchy. */
    static void assertNothingLeft(CgroupHost host, String root) {
        List<CgroupHost.Hierarchy> all = new ArrayList<>(host.v1());
        host.unified().ifPresent(all::add);
        for (CgroupHost.Hierarchy h : all) {
            Path dir = h.ownCgroup().resolve(root);
            assertFalse(Files.exists(dir), "left behind: " + dir);
        }
    }

    /** Waits until {@code p} is in every hierarchy's directory of {@code path}. */
    protected void awaitJoined(Process p, String path) {
        await(p.pid() + " in every procs file of " + path, () -> driver.procsFiles(path).stream()
                .allMatch(f -> List.of(String.valueOf(CgroupIo.read(f)).split("\n")).contains(Long.toString(p.pid()))));
    }

    @Test
    void createMakesTheCgroupAndItsParentsInEveryHierarchy() throws Exception {
        assertFalse(driver.exists("pods/podA/c1"));
        driver.create("pods/podA/c1", CgroupLimits.none());
        assertTrue(driver.exists("pods/podA/c1"));
        for (Path d : driver.directories("pods/podA/c1")) {
            assertTrue(Files.isDirectory(d), "missing " + d);
            assertTrue(Files.exists(d.resolve("cgroup.procs")), "not a cgroup: " + d);
        }
        driver.create("pods/podA/c2", CgroupLimits.none());
        driver.create("pods/podA/c2", CgroupLimits.none()); // idempotent
        assertEquals(List.of("podA"), driver.children("pods"));
        assertEquals(List.of("c1", "c2"), driver.children("pods/podA"));
        assertEquals(List.of(), driver.children("pods/nothing"));
    }

    @Test
    void aProcessJoinsByWritingZeroToEveryProcsFile() throws Exception {
        driver.create("pods/podA/c1", CgroupLimits.none());
        List<Path> procs = driver.procsFiles("pods/podA/c1");
        assertEquals(driver.directories("pods/podA/c1").size(), procs.size());
        Process p = processes.start(procs, "exec /bin/busybox sleep 60");
        awaitJoined(p, "pods/podA/c1");
        assertTrue(driver.pids("pods/podA/c1").contains(p.pid()));
        assertTrue(driver.pids("pods").contains(p.pid()), "pids() covers descendants");
        assertTrue(driver.pids("pods/podA/c2").isEmpty());
    }

    @Test
    void killEmptiesTheCgroupAndItsDescendants() throws Exception {
        driver.create("pods/podA/c1", CgroupLimits.none());
        driver.create("pods/podA/c2", CgroupLimits.none());
        String script = "/bin/busybox sleep 60 & /bin/busybox sleep 60 & wait";
        Process p1 = processes.start(driver.procsFiles("pods/podA/c1"), script);
        Process p2 = processes.start(driver.procsFiles("pods/podA/c2"), script);
        await("six processes", () -> driver.pids("pods/podA").size() == 6);

        driver.kill("pods/podA", TIMEOUT);

        assertEquals(List.of(), List.copyOf(driver.pids("pods/podA")));
        assertEquals(137, exitValue(p1), "SIGKILL");
        assertEquals(137, exitValue(p2), "SIGKILL");
        assertTrue(driver.exists("pods/podA/c1"), "kill does not remove");
    }

    @Test
    void killOfAnEmptyOrMissingCgroupReturns() throws Exception {
        driver.kill("pods/none", TIMEOUT);
        driver.create("pods/podA", CgroupLimits.none());
        driver.kill("pods/podA", TIMEOUT);
        assertTrue(driver.pids("pods/podA").isEmpty());
    }

    @Test
    void removeLeavesNothingInAnyHierarchy() throws Exception {
        driver.create("pods/podA/c1", CgroupLimits.none());
        driver.create("pods/podA/c2", CgroupLimits.none());
        Process p = processes.start(driver.procsFiles("pods/podA/c1"), "exec /bin/busybox sleep 60");
        awaitJoined(p, "pods/podA/c1");
        driver.kill("pods/podA", TIMEOUT);

        driver.remove("pods/podA", TIMEOUT);

        for (Path d : driver.directories("pods/podA")) {
            assertFalse(Files.exists(d), "left behind: " + d);
        }
        assertFalse(driver.exists("pods/podA"));
        assertEquals(List.of(), driver.children("pods"));
        driver.remove("pods/podA", TIMEOUT); // a no-op now
    }

    @Test
    void removeOfAPopulatedCgroupFailsNamingItsProcesses() throws Exception {
        driver.create("pods/podA/c1", CgroupLimits.none());
        Process p = processes.start(driver.procsFiles("pods/podA/c1"), "exec /bin/busybox sleep 60");
        awaitJoined(p, "pods/podA/c1");

        CgroupException e = assertThrows(CgroupException.class, () -> driver.remove("pods/podA", Duration.ofMillis(200)));

        assertTrue(e.getMessage().contains("Device or resource busy") && e.getMessage().contains(Long.toString(p.pid())),
                e.getMessage());
        assertTrue(p.isAlive(), "remove never kills");
    }

    @Test
    void cpuUsageIsAccountedAndNoOomKillsAtFirst() throws Exception {
        driver.create("pods/podA/c1", CgroupLimits.none());
        assertEquals(0, driver.oomKills("pods/podA/c1"));
        processes.start(driver.procsFiles("pods/podA/c1"), "while :; do :; done");
        await("cpu usage", () -> driver.stats("pods/podA/c1").cpuUsageNanos() > 0);
        await("cpu usage at the pod level", () -> driver.stats("pods/podA").cpuUsageNanos() > 0);
        assertEquals(0, driver.oomKills("pods/podA/c1"));
    }
}
