package io.capstan.node.cgroup;

import static io.capstan.node.cgroup.TestProcesses.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The v2 driver on this host's cgroup2 mount. On a hybrid host that mount offers no memory, cpu
 * or pids controller, so the limit files are checked only where the controllers exist; everything
 * else (create, procs, cgroup.kill, cgroup.events, stats, remove) runs here too.
 */
class V2DriverTest extends CgroupDriverContract {

    @Override
    protected CgroupDriver newDriver(CgroupHost host, String root) {
        assumeTrue(host.unified().isPresent(), "this host mounts no cgroup2 hierarchy");
        return new V2Driver(host.unified().get(), root);
    }

    private Path dir(String path) {
        return driver.directories(path).get(0);
    }

    private Long event(String path, String key) {
        return CgroupIo.readKeyed(dir(path).resolve("cgroup.events")).get(key);
    }

    @Test
    void cgroupEventsFollowPopulationAndCgroupKillEmptiesIt() throws Exception {
        driver.create("pods/podA/c1", CgroupLimits.none());
        assumeTrue(Files.exists(dir("pods/podA/c1").resolve("cgroup.kill")), "kernel older than 5.14: no cgroup.kill");
        assertEquals(0L, event("pods/podA", "populated"));
        Process p = processes.start(driver.procsFiles("pods/podA/c1"), "exec /bin/busybox sleep 60");
        await("populated 1", () -> Long.valueOf(1).equals(event("pods/podA", "populated")));

        driver.kill("pods/podA", TIMEOUT);

        assertEquals(0L, event("pods/podA", "populated"));
        assertEquals(137, TestProcesses.exitValue(p));
    }

    @Test
    void limitsAreWritten() throws Exception {
        driver.create("pods/podA", CgroupLimits.none());
        String offered = CgroupIo.read(dir("pods/podA").resolve("cgroup.controllers"));
        assumeTrue(offered.contains("memory") && offered.contains("cpu") && offered.contains("pids"),
                "this host's cgroup2 offers no memory/cpu/pids controllers (hybrid host; cgroup.controllers: \""
                        + offered + "\"); the limit files exist only on unified hosts");
        assertTrue(CgroupIo.read(dir("pods").resolve("cgroup.subtree_control")).contains("memory"));

        driver.create("pods/podA/c", new CgroupLimits(32L << 20, 50_000, 512, 64, true));

        Path c = dir("pods/podA/c");
        assertEquals("33554432", CgroupIo.read(c.resolve("memory.max")));
        if (Files.exists(c.resolve("memory.swap.max"))) {
            assertEquals("0", CgroupIo.read(c.resolve("memory.swap.max")));
        }
        assertEquals("1", CgroupIo.read(c.resolve("memory.oom.group")));
        assertEquals("50000 100000", CgroupIo.read(c.resolve("cpu.max")));
        assertEquals("20", CgroupIo.read(c.resolve("cpu.weight")));
        assertEquals("64", CgroupIo.read(c.resolve("pids.max")));
    }

    @Test
    void aLimitWithoutItsControllerIsAClearError() throws Exception {
        driver.create("pods/podA", CgroupLimits.none());
        String offered = CgroupIo.read(dir("pods/podA").resolve("cgroup.controllers"));
        assumeTrue(!offered.contains("memory"), "this host's cgroup2 offers the memory controller");

        CgroupException e = assertThrows(CgroupException.class,
                () -> driver.create("pods/podA/c", new CgroupLimits(32L << 20, 0, 0, 0, true)));

        assertTrue(e.getMessage().contains("does not offer the memory controller"), e.getMessage());
        driver.create("pods/podA/c2", new CgroupLimits(0, 0, 512, 0, true)); // the weight alone is skipped
    }
}
