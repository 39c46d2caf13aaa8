package io.capstan.node.runtime;

import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.shim.ExitStatus;
import io.capstan.node.shim.ShimProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A container the runtime knows: its record, its shim and whether its exit was reported. The exit
 * is decided once ({@link #finish}): exit code and time from the shim's exit file, and OOMKilled
 * when it died of SIGKILL while its cgroup's OOM-kill counter is above zero (read before the
 * cgroup is removed); the verdict is written into the record so it survives agent restarts.
 */
final class ContainerEntry {
    static final String RECORD = "container.json";

    private final Path dir;
    private final ShimProcess shim;
    private final Instant startedAt;
    private final long pid;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile ContainerRecord record;

    ContainerEntry(Path dir, ContainerRecord record, ShimProcess shim, long pid, Instant startedAt) {
        this.dir = dir;
        this.record = record;
        this.shim = shim;
        this.pid = pid;
        this.startedAt = startedAt;
    }

    String id() {
        return record.id();
    }

    String podUid() {
        return record.podUid();
    }

    Path dir() {
        return dir;
    }

    ContainerRecord record() {
        return record;
    }

    ShimProcess shim() {
        return shim;
    }

    long pid() {
        return pid;
    }

    /** Whether the container's process still runs. */
    boolean running() {
        return record.exit() == null && shim.isRunning();
    }

    /** The status now; an exit that the shim recorded but nobody looked at yet is decided first. */
    ContainerStatus status(PodCgroups cgroups) {
        if (record.exit() == null && !shim.isRunning()) {
            finish(cgroups);
        }
        ContainerRecord r = record;
        return r.status(r.exit() == null ? pid : 0, startedAt);
    }

    /** Decides and records the exit once the shim is gone; idempotent. */
    synchronized ContainerRecord finish(PodCgroups cgroups) {
        if (record.exit() != null) {
            return record;
        }
        ExitStatus s = shim.onExit().join();
        String reason;
        if (s.exitCode() == 0) {
            reason = "Completed";
        } else if (s.signal() == 9 && cgroups.oomKills(record.podUid(), record.id()) > 0) {
            reason = "OOMKilled";
        } else {
            reason = "Error";
        }
        String message = s.lost() ? "the container's shim ended without recording how the container exited" : s.error();
        ContainerRecord done =
                record.withExit(new ContainerRecord.Exit(s.exitCode(), s.finishedAt().toString(), reason, message));
        try {
            StateFiles.write(dir.resolve(RECORD), done);
        } catch (IOException e) {
            // keep the verdict in memory; a restarted agent decides again from the exit file
        }
        record = done;
        return done;
    }

    /** True the first time only: whether the caller is the one to report the exit. */
    boolean markReported() {
        return reported.compareAndSet(false, true);
    }
}
