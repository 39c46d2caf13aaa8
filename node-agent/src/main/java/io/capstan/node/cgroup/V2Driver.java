package io.capstan.node.cgroup;

import io.capstan.node.cgroup.CgroupHost.Hierarchy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * cgroup v2 (unified hosts). A cgroup is one directory on the cgroup2 mount. Creating one enables
 * the memory, cpu and pids controllers in {@code cgroup.subtree_control} of every ancestor from
 * the root's parent down, as far as each ancestor offers them. The "no internal processes" rule
 * holds because only leaves (containers) get processes; the agent's own cgroup must not hold
 * processes either, unless it is the hierarchy's root, so run the agent in a leaf (e.g. a systemd
 * service with {@code Delegate=yes} and the agent in a sub-cgroup) or give an absolute root.
 *
 * <p>Limits: {@code memory.max} with {@code memory.swap.max=0} and, for containers,
 * {@code memory.oom.group=1}; {@code cpu.max}; {@code cpu.weight} converted from shares;
 * {@code pids.max}. OOM kills are {@code memory.events}' {@code oom_kill}. A limit whose
 * controller the hierarchy does not offer is an error; the cpu weight is skipped then. Device
 * restrictions are not enforced on v2 yet (they need an eBPF program); a warning says so once.
 */
public final class V2Driver implements CgroupDriver {

    private static final Logger LOG = Logger.getLogger(V2Driver.class);
    private static final List<String> WANTED = List.of("cpu", "memory", "pids");
    private static final AtomicBoolean WARNED_DEVICES = new AtomicBoolean();

    private final Path base;
    private final Path root;

    /**
     * @param unified the cgroup2 hierarchy
     * @param root relative to the agent's own cgroup (e.g. {@code capstan}) or absolute from the
     *     hierarchy's root (e.g. {@code /capstan})
     */
    public V2Driver(Hierarchy unified, String root) {
        this.root = V1Driver.rootIn(unified, root);
        this.base = root.startsWith("/") ? unified.mountPoint() : unified.ownCgroup();
    }

    @Override
    public String version() {
        return "v2";
    }

    private Path at(String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }

    @Override
    public void create(String path, CgroupLimits limits) throws CgroupException {
        Path dir = at(path);
        // Walk from the root's parent down to the target, enabling controllers one level at a time.
        List<Path> chain = new ArrayList<>();
        for (Path p = dir; p != null && p.startsWith(base); p = p.getParent()) {
            chain.add(0, p);
        }
        for (int i = 0; i < chain.size(); i++) {
            Path p = chain.get(i);
            if (!Files.isDirectory(p)) {
                try {
                    Files.createDirectory(p);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // created concurrently
                } catch (Exception e) {
                    throw new CgroupException("cannot create cgroup " + p + ": " + e.getMessage(), e);
                }
            }
            if (i < chain.size() - 1) {
                enableControllers(p);
            }
        }
        apply(dir, limits);
    }

    private static void enableControllers(Path parent) throws CgroupException {
        Set<String> available = words(parent.resolve("cgroup.controllers"));
        Set<String> enabled = words(parent.resolve("cgroup.subtree_control"));
        StringBuilder add = new StringBuilder();
        for (String c : WANTED) {
            if (available.contains(c) && !enabled.contains(c)) {
                add.append(add.length() == 0 ? "" : " ").append('+').append(c);
            }
        }
        if (add.length() == 0) {
            return;
        }
        try {
            CgroupIo.write(parent.resolve("cgroup.subtree_control"), add.toString());
        } catch (CgroupException e) {
            throw new CgroupException(e.getMessage() + (e.getMessage().endsWith("Device or resource busy")
                    ? " (cgroup v2 allows no processes in a cgroup whose children have controllers;"
                            + " run the agent in a leaf cgroup or configure an absolute cgroup root)" : ""), e);
        }
    }

    private static Set<String> words(Path file) {
        String s = CgroupIo.read(file);
        return s == null || s.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(s.split("\\s+")));
    }

    private static void apply(Path dir, CgroupLimits limits) throws CgroupException {
        if (limits.devices() != CgroupLimits.Devices.ALL && !WARNED_DEVICES.getAndSet(true)) {
            LOG.warn("cgroup v2: device restrictions need an eBPF program, which capstan does not load yet;"
                    + " containers may open every device node they can create");
        }
        Path max = dir.resolve("memory.max");
        if (Files.exists(max)) {
            Path swap = dir.resolve("memory.swap.max");
            if (Files.exists(swap)) {
                CgroupIo.write(swap, "0");
            }
            try {
                CgroupIo.write(max, limits.memoryBytes() > 0 ? Long.toString(limits.memoryBytes()) : "max");
            } catch (CgroupException e) {
                throw new CgroupException(e.getMessage() + (e.getMessage().endsWith("Device or resource busy")
                        ? " (the cgroup already uses more memory than " + limits.memoryBytes() + " bytes)" : ""), e);
            }
            Path group = dir.resolve("memory.oom.group");
            if (limits.oomGroup() && Files.exists(group)) {
                CgroupIo.write(group, "1");
            }
        } else if (limits.memoryBytes() > 0) {
            throw missing(dir, "memory", "limit memory");
        }
        Path cpuMax = dir.resolve("cpu.max");
        if (Files.exists(cpuMax)) {
            String quota = limits.cpuQuotaMicros() > 0 ? Long.toString(limits.cpuQuotaMicros()) : "max";
            CgroupIo.write(cpuMax, quota + " " + CgroupLimits.CPU_PERIOD_MICROS);
            if (limits.cpuShares() > 0) {
                CgroupIo.write(dir.resolve("cpu.weight"), Long.toString(CpuUnits.sharesToWeight(limits.cpuShares())));
            }
        } else if (limits.cpuQuotaMicros() > 0) {
            throw missing(dir, "cpu", "limit cpu");
        }
        Path pidsMax = dir.resolve("pids.max");
        if (Files.exists(pidsMax)) {
            CgroupIo.write(pidsMax, limits.pidsMax() > 0 ? Long.toString(limits.pidsMax()) : "max");
        } else if (limits.pidsMax() > 0) {
            throw missing(dir, "pids", "limit processes");
        }
    }

    private static CgroupException missing(Path dir, String controller, String what) {
        String offered = CgroupIo.read(dir.resolve("cgroup.controllers"));
        return new CgroupException("cannot " + what + " in " + dir + ": the cgroup2 hierarchy does not offer the "
                + controller + " controller there (cgroup.controllers: \"" + (offered == null ? "" : offered) + "\")");
    }

    @Override
    public boolean exists(String path) {
        return Files.isDirectory(at(path));
    }

    @Override
    public List<String> children(String path) {
        return CgroupIo.childDirs(at(path)).stream().map(d -> d.getFileName().toString()).toList();
    }

    @Override
    public List<Path> procsFiles(String path) {
        return List.of(at(path).resolve("cgroup.procs"));
    }

    @Override
    public List<Path> directories(String path) {
        return List.of(at(path));
    }

    @Override
    public Set<Long> pids(String path) {
        Set<Long> out = new TreeSet<>();
        CgroupIo.collectPids(at(path), out);
        return out;
    }

    @Override
    public CgroupStats stats(String path) {
        Path dir = at(path);
        long cpuNs = CgroupIo.readKeyed(dir.resolve("cpu.stat")).getOrDefault("usage_usec", 0L) * 1000;
        long usage = CgroupIo.readLong(dir.resolve("memory.current"));
        long inactive = CgroupIo.readKeyed(dir.resolve("memory.stat")).getOrDefault("inactive_file", 0L);
        long procs = CgroupIo.readLong(dir.resolve("pids.current"));
        return new CgroupStats(cpuNs, usage, Math.max(0, usage - inactive), procs);
    }

    @Override
    public long oomKills(String path) {
        return CgroupIo.readKeyed(at(path).resolve("memory.events")).getOrDefault("oom_kill", 0L);
    }

    /** Whether {@code cgroup.events} says no process is left in the subtree. */
    private boolean unpopulated(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        Long populated = CgroupIo.readKeyed(dir.resolve("cgroup.events")).get("populated");
        if (populated != null) {
            return populated == 0;
        }
        Set<Long> left = new TreeSet<>();
        CgroupIo.collectPids(dir, left);
        return left.isEmpty();
    }

    @Override
    public void kill(String path, Duration timeout) throws CgroupException {
        Path dir = at(path);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path killFile = dir.resolve("cgroup.kill");
        if (Files.exists(killFile)) {
            CgroupIo.write(killFile, "1");
        } else {
            // Kernels before 5.14: freeze, SIGKILL every pid, thaw.
            Path freeze = dir.resolve("cgroup.freeze");
            CgroupIo.write(freeze, "1");
            CgroupIo.await(() -> Long.valueOf(1).equals(CgroupIo.readKeyed(dir.resolve("cgroup.events")).get("frozen")), timeout);
            try {
                CgroupIo.sigkill(pids(path));
            } finally {
                CgroupIo.write(freeze, "0");
            }
        }
        if (!CgroupIo.await(() -> unpopulated(dir), timeout)) {
            throw new CgroupException("processes of cgroup " + dir + " still alive after SIGKILL: " + pids(path));
        }
    }

    @Override
    public void remove(String path, Duration timeout) throws CgroupException {
        CgroupIo.removeTree(at(path), System.nanoTime() + timeout.toNanos());
    }
}
