package io.capstan.node.runtime;

import io.capstan.node.cgroup.CgroupException;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.graph.GraphDriver;
import io.capstan.node.shim.ShimProcess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * What a new runtime instance finds on disk from an earlier agent process. Sandboxes and
 * containers with a record are adopted: running shims are picked up ({@link ShimProcess#adopt}), not
 * restarted; containers that exited meanwhile get their exit decided now (exit file and OOM counter).
 * A container whose start never finished (no record, or no shim was launched) is cleaned up: its
 * root filesystem, cgroup and state directory are removed.
 */
final class Adoption {
    private static final Logger LOG = Logger.getLogger(Adoption.class);

    private final RuntimeConfig config;
    private final GraphDriver graph;
    private final PodCgroups cgroups;

    Adoption(RuntimeConfig config, GraphDriver graph, PodCgroups cgroups) {
        this.config = config;
        this.graph = graph;
        this.cgroups = cgroups;
    }

    void adopt(Map<String, SandboxEntry> sandboxes, Map<String, ContainerEntry> containers) throws IOException {
        for (Path dir : dirs(config.sandboxesDir())) {
            Optional<SandboxRecord> record = StateFiles.read(dir.resolve(SandboxEntry.RECORD), SandboxRecord.class);
            if (record.isEmpty()) {
                StateFiles.deleteTree(dir);
                continue;
            }
            ShimProcess holder = adoptShim(dir);
            long pid = 0;
            if (holder != null && holder.isRunning()) {
                pid = holder.pid().orElse(0);
            }
            sandboxes.put(record.get().podUid(), new SandboxEntry(record.get(), holder, pid));
        }
        for (Path dir : dirs(config.containersDir())) {
            String id = dir.getFileName().toString();
            Optional<ContainerRecord> record =
                    StateFiles.read(dir.resolve(ContainerEntry.RECORD), ContainerRecord.class);
            ShimProcess shim = record.isPresent() ? adoptShim(dir) : null;
            if (record.isEmpty() || shim == null) {
                LOG.infof("removing container %s whose start did not finish", id);
                cleanUp(id, record.map(ContainerRecord::podUid).orElse(null), dir);
                continue;
            }
            OptionalLong pid = shim.pid();
            Instant startedAt = shim.startedAt().orElse(null);
            ContainerEntry entry = new ContainerEntry(dir, record.get(), shim, pid.orElse(0), startedAt);
            if (!shim.isRunning()) {
                entry.finish(cgroups);
                entry.markReported(); // exited while no agent ran: listed, not reported
            }
            containers.put(id, entry);
        }
    }

    private static ShimProcess adoptShim(Path dir) throws IOException {
        try {
            return ShimProcess.adopt(dir);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void cleanUp(String id, String podUid, Path dir) throws IOException {
        graph.release(id);
        try {
            if (podUid != null) {
                cgroups.removeContainer(podUid, id);
            } else {
                for (PodCgroups.PodCgroup p : cgroups.list()) {
                    if (p.containerIds().contains(id)) {
                        cgroups.removeContainer(p.podUid(), id);
                    }
                }
            }
        } catch (CgroupException e) {
            LOG.warnf("cannot remove the cgroup of container %s: %s", id, e.getMessage());
        }
        StateFiles.deleteTree(dir);
    }

    private static java.util.List<Path> dirs(Path parent) throws IOException {
        java.util.List<Path> out = new java.util.ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, Files::isDirectory)) {
            s.forEach(out::add);
        }
        return out;
    }
}
