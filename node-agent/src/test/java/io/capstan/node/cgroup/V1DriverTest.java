package io.capstan.node.cgroup;

import static io.capstan.node.cgroup.TestProcesses.await;
import static io.capstan.node.cgroup.TestProcesses.exitValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The v1 driver on this host's v1 hierarchies (and its cgroup2 mount on hybrid hosts). */
class V1DriverTest extends CgroupDriverContract {

    @Override
    protected CgroupDriver newDriver(CgroupHost host, String root) {
        assumeTrue(host.mode() != CgroupHost.Mode.UNIFIED, "this host mounts no cgroup v1 controllers");
        return new V1Driver(host, root);
    }

    private Path dir(String controller, String path) {
        return host.v1(controller).orElseThrow().ownCgroup().resolve(root).resolve(path);
    }

    private String read(String controller, String path, String file) {
        return CgroupIo.read(dir(controller, path).resolve(file));
    }

    @Test
    void limitsAreWrittenAndCanBeLifted() throws Exception {
        driver.create("c", new CgroupLimits(32L << 20, 50_000, 512, 64, true));
        assertEquals("33554432", read("memory", "c", "memory.limit_in_bytes"));
        if (Files.exists(dir("memory", "c").resolve("memory.memsw.limit_in_bytes"))) {
            assertEquals("33554432", read("memory", "c", "memory.memsw.limit_in_bytes"), "no escape into swap");
        }
        assertEquals("100000", read("cpu", "c", "cpu.cfs_period_us"));
        assertEquals("50000", read("cpu", "c", "cpu.cfs_quota_us"));
        assertEquals("512", read("cpu", "c", "cpu.shares"));
        assertEquals("64", read("pids", "c", "pids.max"));

        driver.create("c", new CgroupLimits(64L << 20, 0, 0, 0, true));
        assertEquals(Long.toString(64L << 20), read("memory", "c", "memory.limit_in_bytes"), "raised above the old memsw");
        assertEquals("-1", read("cpu", "c", "cpu.cfs_quota_us"));
        assertEquals("max", read("pids", "c", "pids.max"));

        driver.create("c", CgroupLimits.none());
        assertTrue(Long.parseLong(read("memory", "c", "memory.limit_in_bytes")) > (1L << 60), "unlimited");
    }

    @Test
    void deviceAllowlistForUnprivilegedContainers() throws Exception {
        assumeTrue(host.v1("devices").isPresent(), "this host mounts no v1 devices hierarchy");
        driver.create("pod/c", new CgroupLimits(0, 0, 0, 0, true, CgroupLimits.Devices.DEFAULT));
        assertEquals(String.join("\n", V1Driver.DEFAULT_DEVICES), read("devices", "pod/c", "devices.list"));
        assertEquals("a *:* rwm", read("devices", "pod", "devices.list"));

        driver.create("pod/c", new CgroupLimits(0, 0, 0, 0, true, CgroupLimits.Devices.ALL));
        assertEquals("a *:* rwm", read("devices", "pod/c", "devices.list"), "privileged again");
    }

    @Test
    void killFallsBackToTheFreezerForProcessesOutsideTheUnifiedDirectory() throws Exception {
        driver.create("c", CgroupLimits.none());
        List<Path> v1Only = driver.procsFiles("c").stream()
                .filter(f -> host.unified().map(u -> !f.startsWith(u.mountPoint())).orElse(true)).toList();
        Process p = processes.start(v1Only, "/bin/busybox sleep 60 & exec /bin/busybox sleep 60");
        await("two processes", () -> driver.pids("c").size() == 2);

        driver.kill("c", TIMEOUT);

        assertTrue(driver.pids("c").isEmpty());
        assertEquals(137, exitValue(p));
        assertEquals("THAWED", read("freezer", "c", "freezer.state"), "thawed again");
    }

    @Test
    void memoryAndPidsStats() throws Exception {
        driver.create("c", CgroupLimits.none());
        processes.start(driver.procsFiles("c"), "x=0123456789; i=0; while [ $i -lt 16 ]; do x=$x$x; i=$((i+1)); done; "
                + "/bin/busybox sleep 60 & wait");
        await("memory and pids accounted", () -> {
            CgroupStats s = driver.stats("c");
            return s.memoryUsageBytes() > (512 << 10) && s.pidsCurrent() == 2;
        });
        CgroupStats s = driver.stats("c");
        assertTrue(s.memoryWorkingSetBytes() > 0 && s.memoryWorkingSetBytes() <= s.memoryUsageBytes(), s.toString());
    }
}
