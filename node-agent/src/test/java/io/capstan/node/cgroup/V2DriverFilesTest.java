package io.capstan.node.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the v2 driver writes where, checked on a directory tree shaped like a cgroup2 hierarchy
 * with the memory, cpu and pids controllers. This hybrid machine's real cgroup2 mount has none of
 * them, so {@link V2DriverTest} cannot read these files back here; on a unified host it does.
 */
class V2DriverFilesTest {

    @TempDir
    Path base;

    private void cgroupDir(Path dir, String... files) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), "cpu memory pids");
        Files.writeString(dir.resolve("cgroup.subtree_control"), "");
        for (String f : files) {
            Files.writeString(dir.resolve(f), "");
        }
    }

    @Test
    void controllersAreEnabledDownToTheParentAndLimitsGoToTheLeaf() throws Exception {
        cgroupDir(base);
        Files.writeString(base.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids");
        List<String> limitFiles = List.of("memory.max", "memory.swap.max", "memory.oom.group", "cpu.max", "cpu.weight", "pids.max");
        cgroupDir(base.resolve("capstan"));
        cgroupDir(base.resolve("capstan/pods"));
        cgroupDir(base.resolve("capstan/pods/podA"));
        cgroupDir(base.resolve("capstan/pods/podA/c"), limitFiles.toArray(String[]::new));
        V2Driver driver = new V2Driver(new CgroupHost.Hierarchy(Set.of(), base, base), "capstan");

        driver.create("pods/podA/c", new CgroupLimits(32L << 20, 50_000, 512, 64, true, CgroupLimits.Devices.DEFAULT));

        for (Path p : List.of(base, base.resolve("capstan"), base.resolve("capstan/pods"), base.resolve("capstan/pods/podA"))) {
            assertEquals("+cpu +memory +pids", Files.readString(p.resolve("cgroup.subtree_control")), p.toString());
        }
        Path c = base.resolve("capstan/pods/podA/c");
        assertEquals("", Files.readString(c.resolve("cgroup.subtree_control")), "a leaf enables nothing");
        assertEquals("33554432", Files.readString(c.resolve("memory.max")));
        assertEquals("0", Files.readString(c.resolve("memory.swap.max")));
        assertEquals("1", Files.readString(c.resolve("memory.oom.group")));
        assertEquals("50000 100000", Files.readString(c.resolve("cpu.max")));
        assertEquals("20", Files.readString(c.resolve("cpu.weight")));
        assertEquals("64", Files.readString(c.resolve("pids.max")));
        assertEquals(List.of(c.resolve("cgroup.procs")), driver.procsFiles("pods/podA/c"));
    }

    @Test
    void noLimitsWriteMax() throws Exception {
        cgroupDir(base);
        cgroupDir(base.resolve("r"), "memory.max", "memory.oom.group", "cpu.max", "cpu.weight", "pids.max");
        V2Driver driver = new V2Driver(new CgroupHost.Hierarchy(Set.of(), base, base), "r");

        driver.create("", new CgroupLimits(0, 0, 2, 0, false));

        Path r = base.resolve("r");
        assertEquals("max", Files.readString(r.resolve("memory.max")));
        assertEquals("", Files.readString(r.resolve("memory.oom.group")), "pods do not group-kill");
        assertEquals("max 100000", Files.readString(r.resolve("cpu.max")));
        assertEquals("1", Files.readString(r.resolve("cpu.weight")));
        assertEquals("max", Files.readString(r.resolve("pids.max")));
    }
}
