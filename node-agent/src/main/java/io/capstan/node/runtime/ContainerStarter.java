package io.capstan.node.runtime;

import io.capstan.node.cgroup.CgroupException;
import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.graph.GraphDriver;
import io.capstan.node.image.Image;
import io.capstan.node.image.ImageStore;
import io.capstan.node.shim.ContainerLaunch;
import io.capstan.node.shim.Shim;
import io.capstan.node.shim.ShimProcess;
import io.capstan.node.shim.ShimStartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Creates and starts one container: image lookup, layers, state directory, root filesystem,
 * cgroup, the merged process spec, and the shim. Whatever was prepared is undone when a step fails.
 */
final class ContainerStarter {
    private static final Logger LOG = Logger.getLogger(ContainerStarter.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RuntimeConfig config;
    private final ImageStore images;
    private final ImageLayers layers;
    private final GraphDriver graph;
    private final PodCgroups cgroups;
    private final Shim shim;

    ContainerStarter(RuntimeConfig config, ImageStore images, GraphDriver graph, PodCgroups cgroups, Shim shim) {
        this.config = config;
        this.images = images;
        this.layers = new ImageLayers(images, graph);
        this.graph = graph;
        this.cgroups = cgroups;
        this.shim = shim;
    }

    /** A docker-style container id: 64 random hex digits. */
    static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The CRI log file of a container attempt. */
    Path logPath(SandboxRecord sandbox, ContainerSpec spec) {
        return config.logsDir().resolve(sandbox.namespace() + "_" + sandbox.name() + "_" + sandbox.podUid())
                .resolve(spec.name()).resolve(spec.attempt() + ".log");
    }

    /** Starts the container in the sandbox whose holder has {@code holderPid}; returns it running. */
    ContainerEntry start(ContainerSpec spec, SandboxRecord sandbox, long holderPid) throws RuntimeFailure {
        Image image = resolveImage(spec.image());
        String topLayer;
        try {
            topLayer = layers.ensure(image);
        } catch (IOException e) {
            throw new RuntimeFailure("CreateContainerError", "cannot unpack the layers of image " + spec.image() + ": "
                    + e.getMessage(), e);
        }
        String id = newId();
        Path dir = config.containersDir().resolve(id);
        ShimProcess process = null;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("image-id"), image.id().toString() + "\n", StandardCharsets.UTF_8);
            // A read-only root filesystem with volumes is prepared writable: the shim creates the
            // mount targets first and then remounts the root read-only (--readonly-rootfs).
            boolean readOnlyLayer = spec.security().readOnlyRootFilesystem() && spec.mounts().isEmpty();
            Path rootfs = graph.prepare(id, topLayer, readOnlyLayer);
            ProcessSpecs.Resolved p = ProcessSpecs.resolve(spec, image.config(), rootfs);
            Path log = logPath(sandbox, spec);
            ContainerRecord record = new ContainerRecord(id, spec.podUid(), spec.name(), spec.attempt(), spec.image(),
                    image.id().toString(), log.toString(), Instant.now().toString(), p.argv(),
                    p.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(), p.cwd(),
                    p.privileges(), null);
            StateFiles.write(dir.resolve(ContainerEntry.RECORD), record);
            List<Path> procs =
                    cgroups.createContainer(spec.podUid(), id, spec.resources(), spec.security().privileged());
            Files.createDirectories(log.getParent());
            ContainerLaunch.Builder launch = ContainerLaunch.builder(rootfs, dir, p.argv())
                    .joinSandbox(holderPid, false)
                    .privileges(p.privileges())
                    .readOnlyRootfs(spec.security().readOnlyRootFilesystem())
                    .cwd(p.cwd())
                    .log(log)
                    .logRotation(config.logMaxBytes(), config.logMaxFiles())
                    // ContainerSpec has no stdinOnce yet: stdin stays open across attaches
                    .stdin(spec.stdin(), false)
                    .tty(spec.tty());
            procs.forEach(launch::cgroupProcs);
            p.env().forEach(launch::env);
            for (ContainerSpec.MountSpec m : spec.mounts()) {
                launch.mount(Path.of(m.hostPath()), m.containerPath(), m.readOnly());
            }
            process = shim.start(launch.build());
            long pid = process.awaitStarted(config.startTimeout());
            Instant startedAt = process.startedAt().orElse(Instant.now());
            return new ContainerEntry(dir, record, process, pid, startedAt);
        } catch (ShimStartException e) {
            undo(spec.podUid(), id, dir, process);
            String reason = e.isExecFailure() ? "RunContainerError" : "CreateContainerError";
            throw new RuntimeFailure(reason, e.getMessage(), e);
        } catch (RuntimeFailure e) {
            undo(spec.podUid(), id, dir, process);
            throw e;
        } catch (IOException | CgroupException | TimeoutException | IllegalArgumentException e) {
            undo(spec.podUid(), id, dir, process);
            throw new RuntimeFailure("CreateContainerError", "cannot create container " + spec.name() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            undo(spec.podUid(), id, dir, process);
            throw new RuntimeFailure("CreateContainerError", "interrupted while starting container " + spec.name(), e);
        }
    }

    private Image resolveImage(String reference) throws RuntimeFailure {
        Optional<Image> image;
        try {
            image = images.find(reference);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure("InvalidImageName", e.getMessage(), e);
        } catch (IOException e) {
            throw new RuntimeFailure("CreateContainerError", "cannot read image " + reference + ": " + e.getMessage(),
                    e);
        }
        return image.orElseThrow(() -> new RuntimeFailure("CreateContainerError",
                "image " + reference + " is not present on this node; import it with capstan image import"));
    }

    /** Removes what a failed start prepared: the process, the cgroup, the root filesystem, the state. */
    void undo(String podUid, String id, Path dir, ShimProcess process) {
        try {
            if (process != null && process.isRunning()) {
                process.kill();
            }
        } catch (IOException e) {
            LOG.debugf(e, "killing container %s after a failed start", id);
        }
        try {
            cgroups.removeContainer(podUid, id);
        } catch (CgroupException e) {
            LOG.warnf("cannot remove the cgroup of failed container %s: %s", id, e.getMessage());
        }
        try {
            graph.release(id);
        } catch (IOException e) {
            LOG.warnf("cannot release the root filesystem of failed container %s: %s", id, e.getMessage());
        }
        try {
            StateFiles.deleteTree(dir);
        } catch (IOException e) {
            LOG.warnf("cannot delete the state of failed container %s: %s", id, e.getMessage());
        }
    }
}
