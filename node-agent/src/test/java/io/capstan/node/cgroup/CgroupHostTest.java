package io.capstan.node.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupHostTest {

    /** This machine's layout: separate cpu and cpuacct mounts, a controller-less cgroup2. */
    static final String HYBRID_MOUNTINFO = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    static final String HYBRID_CGROUP = """
            9:name=systemd:/
            8:pids:/
            6:freezer:/
            4:memory:/process_api/e3f7
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    @Test
    void hybridHostFromThisMachine() throws Exception {
        CgroupHost host = CgroupHost.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);
        assertEquals(CgroupHost.Mode.HYBRID, host.mode());
        assertEquals(6, host.v1().size());
        assertEquals(Path.of("/sys/fs/cgroup/memory/process_api/e3f7"), host.v1("memory").orElseThrow().ownCgroup());
        assertEquals(Path.of("/sys/fs/cgroup/cpu"), host.v1("cpu").orElseThrow().ownCgroup());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), host.unified().orElseThrow().ownCgroup());
        assertTrue(host.v1("blkio").isEmpty());
    }

    @Test
    void combinedCpuCpuacctHierarchyAndSystemdMountOptions() throws Exception {
        String mountinfo = "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct\n"
                + "31 25 0:27 / /sys/fs/cgroup/memory rw,nosuid shared:12 - cgroup cgroup rw,memory\n";
        String cgroup = "3:cpu,cpuacct:/system.slice/capstan.service\n2:memory:/system.slice/capstan.service\n";
        CgroupHost host = CgroupHost.parse(mountinfo, cgroup);
        assertEquals(CgroupHost.Mode.LEGACY, host.mode());
        assertEquals(Set.of("cpu", "cpuacct"), host.v1("cpuacct").orElseThrow().controllers());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/system.slice/capstan.service"), host.v1("cpu").orElseThrow().ownCgroup());
    }

    @Test
    void unifiedHost() throws Exception {
        String mountinfo = "25 21 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
        CgroupHost host = CgroupHost.parse(mountinfo, "0::/system.slice/capstan.service\n");
        assertEquals(CgroupHost.Mode.UNIFIED, host.mode());
        assertEquals(Path.of("/sys/fs/cgroup/system.slice/capstan.service"), host.unified().orElseThrow().ownCgroup());
        assertTrue(host.v1().isEmpty());
    }

    @Test
    void mountOfASubtreeAndEscapedMountPoint() throws Exception {
        // A container that bind-mounts only its own subtree, at a path with a space.
        String mountinfo = "50 40 0:30 /kubepods/pod1 /sys/fs/cgroup\\040x/memory ro - cgroup cgroup rw,memory\n";
        CgroupHost host = CgroupHost.parse(mountinfo, "4:memory:/kubepods/pod1/ctr\n");
        assertEquals(Path.of("/sys/fs/cgroup x/memory/ctr"), host.v1("memory").orElseThrow().ownCgroup());
    }

    @Test
    void noCgroupsMounted() {
        CgroupException e = assertThrows(CgroupException.class,
                () -> CgroupHost.parse("22 1 0:5 / /proc rw - proc proc rw\n", "0::/\n"));
        assertTrue(e.getMessage().contains("no cgroup hierarchy"), e.getMessage());
    }

    @Test
    void driverChoice() throws Exception {
        CgroupHost hybrid = CgroupHost.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);
        assertEquals("v1", PodCgroups.driverFor(hybrid, CgroupConfig.defaults()).version());
        assertEquals("v2", PodCgroups.driverFor(hybrid, CgroupConfig.defaults().withDriver("v2")).version());
        CgroupHost unified = CgroupHost.parse("25 21 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/\n");
        assertEquals("v2", PodCgroups.driverFor(unified, CgroupConfig.defaults()).version());
        CgroupException e = assertThrows(CgroupException.class,
                () -> PodCgroups.driverFor(unified, CgroupConfig.defaults().withDriver("v1")));
        assertTrue(e.getMessage().contains("no cgroup v1 hierarchy"), e.getMessage());
        e = assertThrows(CgroupException.class, () -> PodCgroups.driverFor(hybrid, CgroupConfig.defaults().withRoot("a/../..")));
        assertTrue(e.getMessage().contains("invalid cgroup root segment for a cgroup name: .."), e.getMessage());
        assertEquals("v1", PodCgroups.driverFor(hybrid, CgroupConfig.defaults().withRoot("/capstan/node-1")).version());
    }

    @Test
    void rootRelativeToOwnCgroupOrAbsolute() throws Exception {
        CgroupHost host = CgroupHost.parse(HYBRID_MOUNTINFO, HYBRID_CGROUP);
        V1Driver relative = new V1Driver(host, "capstan");
        assertTrue(relative.directories("pods").contains(Path.of("/sys/fs/cgroup/memory/process_api/e3f7/capstan/pods")));
        assertTrue(relative.directories("pods").contains(Path.of("/sys/fs/cgroup/unified/capstan/pods")));
        assertEquals(6, relative.directories("pods").size(), "memory, cpu, cpuacct, pids, freezer and unified: "
                + relative.directories("pods"));
        V1Driver absolute = new V1Driver(host, "/capstan");
        assertTrue(absolute.directories("").contains(Path.of("/sys/fs/cgroup/memory/capstan")));
    }
}
