package io.capstan.node.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The file operations of one cgroup version, on cgroups named by a relative path such as
 * {@code pods/burstable/pod1234/ctr1} under the driver's root ({@code ""} is the root itself).
 * The Kubernetes layout on top of it lives in {@link PodCgroups}; the two implementations are
 * {@link V1Driver} (legacy and hybrid hosts: one directory per v1 hierarchy plus the cgroup2
 * directory when one is mounted) and {@link V2Driver} (one cgroup2 directory).
 *
 * <p>Every method may be called from several threads for different cgroups. Paths that do not
 * exist give empty results, and removing them is a no-op.
 */
public interface CgroupDriver {

    /** {@code v1} or {@code v2}. */
    String version();

    /**
     * Creates {@code path} and its missing parents in every hierarchy, then applies
     * {@code limits} to it (parents stay unlimited). Creating an existing cgroup applies the new
     * limits. Throws when a limit cannot be set, naming the file and the kernel's error.
     */
    void create(String path, CgroupLimits limits) throws CgroupException;

    /** Whether {@code path} exists in any hierarchy. */
    boolean exists(String path);

    /** The names of the child cgroups of {@code path}, in any hierarchy. */
    List<String> children(String path);

    /**
     * The {@code cgroup.procs} files a process writes {@code 0} to, before exec, to join
     * {@code path}: one per hierarchy on v1 (the unified directory included), one on v2.
     */
    List<Path> procsFiles(String path);

    /** The directories of {@code path}, one per hierarchy, whether they exist or not. */
    List<Path> directories(String path);

    /** The pids of every process in {@code path} and its descendants, in any hierarchy. */
    Set<Long> pids(String path);

    /** Usage of {@code path} and its descendants; zeros for what the host does not account. */
    CgroupStats stats(String path);

    /**
     * How often the OOM killer killed a process of {@code path} itself. On v1 the counter is not
     * hierarchical and disappears with the cgroup, so read it before {@link #remove}.
     */
    long oomKills(String path);

    /**
     * SIGKILLs every process in {@code path} and its descendants ({@code cgroup.kill}, or by
     * freezing, killing every pid and thawing) and waits until they are gone.
     */
    void kill(String path, Duration timeout) throws CgroupException;

    /**
     * Removes {@code path} and its descendants in every hierarchy, deepest first, retrying while
     * a cgroup is still busy with exiting processes, at most {@code timeout}.
     */
    void remove(String path, Duration timeout) throws CgroupException;
}
