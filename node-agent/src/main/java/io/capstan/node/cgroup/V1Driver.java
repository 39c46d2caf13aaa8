package io.capstan.node.cgroup;

import io.capstan.node.cgroup.CgroupHost.Hierarchy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * cgroup v1 (legacy and hybrid hosts). A cgroup is one directory in each v1 hierarchy that carries
 * memory, cpu, cpuacct, pids, freezer or devices, plus one on the cgroup2 mount when the host has one: that
 * directory offers no resource controllers, but its {@code cgroup.kill} and {@code cgroup.events}
 * work, so killing a container is one write there.
 *
 * <p>Limits: {@code memory.limit_in_bytes} and {@code memory.memsw.limit_in_bytes} (the same
 * value, so a container cannot escape into swap), {@code cpu.cfs_period_us}/{@code cfs_quota_us},
 * {@code cpu.shares}, {@code pids.max}, and the device allowlist in {@code devices.deny} and
 * {@code devices.allow}. OOM kills are counted by {@code memory.oom_control}'s
 * {@code oom_kill}, which only counts the cgroup's own processes.
 */
public final class V1Driver implements CgroupDriver {

    private static final Set<String> USED = Set.of("memory", "cpu", "cpuacct", "pids", "freezer", "devices");

    /** Docker's default devices plus full, ptmx and the pseudo-terminals (security.md §2.7). */
    static final List<String> DEFAULT_DEVICES = List.of(
            "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
            "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm");

    private final List<Path> roots;
    private final Path unifiedRoot;
    private final Path memory;
    private final Path cpu;
    private final Path cpuacct;
    private final Path pids;
    private final Path freezer;
    private final Path devices;

    /**
     * @param host the detected hierarchies
     * @param root the root of capstan's cgroups: relative to the agent's own cgroup in each
     *     hierarchy (e.g. {@code capstan}), or absolute from each hierarchy's root (e.g.
     *     {@code /capstan})
     */
    public V1Driver(CgroupHost host, String root) {
        List<Path> rs = new ArrayList<>();
        for (Hierarchy h : host.v1()) {
            if (h.controllers().stream().anyMatch(USED::contains)) {
                rs.add(rootIn(h, root));
            }
        }
        this.unifiedRoot = host.unified().map(h -> rootIn(h, root)).orElse(null);
        if (unifiedRoot != null) {
            rs.add(unifiedRoot);
        }
        this.roots = List.copyOf(rs);
        this.memory = host.v1("memory").map(h -> rootIn(h, root)).orElse(null);
        this.cpu = host.v1("cpu").map(h -> rootIn(h, root)).orElse(null);
        this.cpuacct = host.v1("cpuacct").map(h -> rootIn(h, root)).orElse(null);
        this.pids = host.v1("pids").map(h -> rootIn(h, root)).orElse(null);
        this.freezer = host.v1("freezer").map(h -> rootIn(h, root)).orElse(null);
        this.devices = host.v1("devices").map(h -> rootIn(h, root)).orElse(null);
    }

    static Path rootIn(Hierarchy h, String root) {
        String r = root.replaceAll("^/+", "");
        Path base = root.startsWith("/") ? h.mountPoint() : h.ownCgroup();
        return r.isEmpty() ? base : base.resolve(r);
    }

    @Override
    public String version() {
        return "v1";
    }

    private static Path at(Path root, String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }

    @Override
    public void create(String path, CgroupLimits limits) throws CgroupException {
        for (Path r : roots) {
            Path dir = at(r, path);
            try {
                Files.createDirectories(dir);
            } catch (Exception e) {
                throw new CgroupException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
            }
        }
        setDevices(path, limits.devices());
        setMemory(path, limits.memoryBytes());
        setCpu(path, limits);
        if (pids != null) {
            CgroupIo.write(at(pids, path).resolve("pids.max"), limits.pidsMax() > 0 ? Long.toString(limits.pidsMax()) : "max");
        } else if (limits.pidsMax() > 0) {
            throw new CgroupException("cannot limit processes: no v1 pids hierarchy is mounted");
        }
    }

    private void setDevices(String path, CgroupLimits.Devices access) throws CgroupException {
        if (devices == null) {
            if (access != CgroupLimits.Devices.ALL) {
                throw new CgroupException("cannot restrict devices: no v1 devices hierarchy is mounted");
            }
            return;
        }
        Path dir = at(devices, path);
        if (access == CgroupLimits.Devices.ALL) {
            if (!"a *:* rwm".equals(CgroupIo.read(dir.resolve("devices.list")))) {
                CgroupIo.write(dir.resolve("devices.allow"), "a");
            }
            return;
        }
        CgroupIo.write(dir.resolve("devices.deny"), "a");
        for (String rule : DEFAULT_DEVICES) {
            CgroupIo.write(dir.resolve("devices.allow"), rule);
        }
    }

    private void setMemory(String path, long bytes) throws CgroupException {
        if (memory == null) {
            if (bytes > 0) {
                throw new CgroupException("cannot limit memory: no v1 memory hierarchy is mounted");
            }
            return;
        }
        Path dir = at(memory, path);
        Path limit = dir.resolve("memory.limit_in_bytes");
        Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
        String value = bytes > 0 ? Long.toString(bytes) : "-1";
        try {
            // memsw must stay >= the memory limit: raise it first, lower it last.
            if (Files.exists(memsw) && (bytes <= 0 || bytes > CgroupIo.readLong(memsw))) {
                CgroupIo.write(memsw, value);
                CgroupIo.write(limit, value);
            } else {
                CgroupIo.write(limit, value);
                if (Files.exists(memsw)) {
                    CgroupIo.write(memsw, value);
                }
            }
        } catch (CgroupException e) {
            throw new CgroupException(e.getMessage() + (e.getMessage().endsWith("Device or resource busy")
                    ? " (the cgroup already uses more memory than " + bytes + " bytes)" : ""), e);
        }
    }

    private void setCpu(String path, CgroupLimits limits) throws CgroupException {
        if (cpu == null) {
            if (limits.cpuQuotaMicros() > 0) {
                throw new CgroupException("cannot limit cpu: no v1 cpu hierarchy is mounted");
            }
            return;
        }
        Path dir = at(cpu, path);
        if (limits.cpuQuotaMicros() > 0) {
            CgroupIo.write(dir.resolve("cpu.cfs_period_us"), Long.toString(CgroupLimits.CPU_PERIOD_MICROS));
            CgroupIo.write(dir.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuQuotaMicros()));
        } else {
            CgroupIo.write(dir.resolve("cpu.cfs_quota_us"), "-1");
        }
        if (limits.cpuShares() > 0) {
            CgroupIo.write(dir.resolve("cpu.shares"), Long.toString(limits.cpuShares()));
        }
    }

    @Override
    public boolean exists(String path) {
        return roots.stream().anyMatch(r -> Files.isDirectory(at(r, path)));
    }

    @Override
    public List<String> children(String path) {
        Set<String> names = new TreeSet<>();
        for (Path r : roots) {
            CgroupIo.childDirs(at(r, path)).forEach(d -> names.add(d.getFileName().toString()));
        }
        return List.copyOf(names);
    }

    @Override
    public List<Path> procsFiles(String path) {
        return directories(path).stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public List<Path> directories(String path) {
        return roots.stream().map(r -> at(r, path)).toList();
    }

    @Override
    public Set<Long> pids(String path) {
        Set<Long> out = new TreeSet<>();
        for (Path r : roots) {
            CgroupIo.collectPids(at(r, path), out);
        }
        return out;
    }

    @Override
    public CgroupStats stats(String path) {
        long cpuNs = cpuacct == null ? 0 : CgroupIo.readLong(at(cpuacct, path).resolve("cpuacct.usage"));
        long usage = 0;
        long workingSet = 0;
        if (memory != null) {
            Path dir = at(memory, path);
            usage = CgroupIo.readLong(dir.resolve("memory.usage_in_bytes"));
            long inactive = CgroupIo.readKeyed(dir.resolve("memory.stat")).getOrDefault("total_inactive_file", 0L);
            workingSet = Math.max(0, usage - inactive);
        }
        long procs = pids == null ? 0 : CgroupIo.readLong(at(pids, path).resolve("pids.current"));
        return new CgroupStats(cpuNs, usage, workingSet, procs);
    }

    @Override
    public long oomKills(String path) {
        if (memory == null) {
            return 0;
        }
        Map<String, Long> m = CgroupIo.readKeyed(at(memory, path).resolve("memory.oom_control"));
        return m.getOrDefault("oom_kill", 0L);
    }

    @Override
    public void kill(String path, Duration timeout) throws CgroupException {
        if (!exists(path)) {
            return;
        }
        Path killFile = unifiedRoot == null ? null : at(unifiedRoot, path).resolve("cgroup.kill");
        if (killFile != null && Files.exists(killFile) && unifiedCoversAll(path)) {
            CgroupIo.write(killFile, "1");
            if (CgroupIo.await(() -> pids(path).isEmpty(), min(timeout, Duration.ofSeconds(1)))) {
                return;
            }
        }
        // A process that joined the v1 hierarchies only (or a host without cgroup.kill): freeze
        // so nothing can fork, SIGKILL every pid, thaw so the signals are delivered. Frozen
        // processes cannot exit, so no pid killed here can have been reused by another process.
        // A process outside the freezer cgroup (it joined only some hierarchies) may fork meanwhile:
        // a few rounds catch its children.
        boolean frozen = false;
        for (int round = 0; round < 3 && !pids(path).isEmpty(); round++) {
            frozen = freezeAndKill(path, timeout);
            CgroupIo.await(() -> pids(path).isEmpty(), min(timeout, Duration.ofSeconds(1)));
        }
        if (!CgroupIo.await(() -> pids(path).isEmpty(), timeout)) {
            throw new CgroupException("processes of cgroup " + path + " still alive after SIGKILL"
                    + (frozen ? "" : " (freezer unavailable)") + ": " + pids(path));
        }
    }

    /** One freeze, SIGKILL, thaw round; whether the cgroup could be frozen. */
    private boolean freezeAndKill(String path, Duration timeout) throws CgroupException {
        Path state = freezer == null ? null : at(freezer, path).resolve("freezer.state");
        boolean frozen = false;
        if (state != null && Files.exists(state)) {
            CgroupIo.write(state, "FROZEN");
            frozen = CgroupIo.await(() -> "FROZEN".equals(CgroupIo.read(state)), timeout);
        }
        try {
            CgroupIo.sigkill(pids(path));
        } finally {
            if (state != null && Files.exists(state)) {
                CgroupIo.write(state, "THAWED");
            }
        }
        return frozen;
    }

    /** Whether every process of the subtree is in the unified directory too (so cgroup.kill gets it). */
    private boolean unifiedCoversAll(String path) {
        Set<Long> inUnified = new TreeSet<>();
        CgroupIo.collectPids(at(unifiedRoot, path), inUnified);
        return inUnified.containsAll(pids(path));
    }

    @Override
    public void remove(String path, Duration timeout) throws CgroupException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Path r : roots) {
            CgroupIo.removeTree(at(r, path), deadline);
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
