package io.capstan.node.runtime;

import io.capstan.node.cgroup.CgroupException;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.shim.SandboxLaunch;
import io.capstan.node.shim.Shim;
import io.capstan.node.shim.ShimProcess;
import io.capstan.node.shim.ShimStartException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Creating and removing pod sandboxes: the state directory with its record, the pod cgroup and the
 * namespace holder in the pod's sandbox cgroup ({@code capstan-shim sandbox}: new UTS with the
 * pod's hostname, IPC, and a new network namespace with loopback up, or the one the pod network
 * prepared).
 */
final class Sandboxes {
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Sandboxes() {
    }

    /**
     * Creates the sandbox, or restarts the holder of one whose holder is gone ({@code existing}, whose
     * creation time is then renewed). A failure undoes what this call created.
     */
    static SandboxEntry create(RuntimeConfig config, PodCgroups cgroups, Shim shim, SandboxSpec spec,
            SandboxEntry existing) throws RuntimeFailure {
        if (spec.podUid() == null || !UID.matcher(spec.podUid()).matches()) {
            throw new RuntimeFailure("CreatePodSandboxError", "invalid pod uid \"" + spec.podUid() + "\"");
        }
        Path dir = config.sandboxesDir().resolve(spec.podUid());
        SandboxRecord record = new SandboxRecord(spec.podUid(), spec.namespace(), spec.name(), spec.hostname(),
                spec.resources(), spec.netnsPath(), Instant.now().toString(), spec.shareProcessNamespace());
        ShimProcess holder = null;
        try {
            if (existing != null && existing.holder() != null) {
                existing.holder().kill();
            }
            Files.createDirectories(dir);
            StateFiles.write(dir.resolve(SandboxEntry.RECORD), record);
            cgroups.createPod(spec.podUid(), spec.resources());
            List<Path> procs = cgroups.createSandbox(spec.podUid());
            holder = shim.start(new SandboxLaunch(dir, spec.hostname(),
                    spec.netnsPath() == null ? null : Path.of(spec.netnsPath()), spec.shareProcessNamespace(),
                    spec.sysctls(), procs));
            long pid = holder.awaitStarted(config.startTimeout());
            return new SandboxEntry(record, holder, pid);
        } catch (IOException | CgroupException | TimeoutException | ShimStartException e) {
            undo(cgroups, spec.podUid(), dir, holder, existing == null);
            throw new RuntimeFailure("CreatePodSandboxError", "cannot create the sandbox of pod "
                    + spec.namespace() + "/" + spec.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            undo(cgroups, spec.podUid(), dir, holder, existing == null);
            throw new RuntimeFailure("CreatePodSandboxError", "interrupted while creating the sandbox of pod "
                    + spec.podUid(), e);
        }
    }

    private static void undo(PodCgroups cgroups, String podUid, Path dir, ShimProcess holder, boolean created) {
        try {
            stopHolder(holder);
        } catch (IOException e) {
            // nothing more to do: the holder is gone or was never started
        }
        if (created) {
            try {
                cgroups.removePod(podUid);
                StateFiles.deleteTree(dir);
            } catch (IOException | CgroupException e) {
                // best effort; a later removeSandbox tries again
            }
        }
    }

    /** Stops the holder, removes the pod cgroup, the sandbox's state and the pod's log directory. */
    static void remove(RuntimeConfig config, PodCgroups cgroups, String podUid, SandboxEntry entry)
            throws RuntimeFailure {
        if (podUid == null || !UID.matcher(podUid).matches()) {
            return;
        }
        try {
            stopHolder(entry == null ? null : entry.holder());
            cgroups.removePod(podUid);
            try (DirectoryStream<Path> logs = Files.newDirectoryStream(config.logsDir(), "*_" + podUid)) {
                for (Path d : logs) {
                    StateFiles.deleteTree(d);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // no logs yet
            }
            StateFiles.deleteTree(config.sandboxesDir().resolve(podUid));
        } catch (IOException | CgroupException e) {
            throw new RuntimeFailure("RemovePodSandboxError", "cannot remove the sandbox of pod " + podUid + ": "
                    + e.getMessage(), e);
        }
    }

    /** SIGTERM to the holder (it exits 0 on it), SIGKILL if it is still there after 10 s. */
    private static void stopHolder(ShimProcess holder) throws IOException {
        if (holder == null || !holder.isRunning()) {
            return;
        }
        holder.terminate();
        try {
            holder.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            holder.kill();
            try {
                holder.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                throw new IOException("the sandbox holder did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // it is gone
        }
    }
}
