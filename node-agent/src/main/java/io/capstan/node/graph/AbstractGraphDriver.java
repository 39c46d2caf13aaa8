package io.capstan.node.graph;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What both drivers share: the on-disk records of layers and containers, atomic publication
 * (everything is built under {@code tmp/} and renamed into place), locking, and the private bind
 * mount of the root. Subclasses supply the layer contents and the container mounts.
 *
 * <p>Locking: removing a layer takes the write lock; everything else the read lock, plus a
 * per-container lock for container operations. Layer publication needs no lock (rename is atomic
 * and the loser of a race discards its copy).
 */
abstract class AbstractGraphDriver implements GraphDriver, LayerRecords.Hooks {

    private static final Logger LOG = Logger.getLogger(GraphDriver.class);

    protected final Path root;
    protected final Path containersDir;
    protected final Path tmpDir;
    private final LayerRecords layers;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object[] containerLocks = new Object[64];

    protected AbstractGraphDriver(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Path layersDir = this.root.resolve("layers");
        this.layers = new LayerRecords(layersDir, this);
        this.containersDir = this.root.resolve("containers");
        this.tmpDir = this.root.resolve("tmp");
        for (int i = 0; i < containerLocks.length; i++) {
            containerLocks[i] = new Object();
        }
        Files.createDirectories(layersDir);
        Files.createDirectories(containersDir);
        Trees.delete(tmpDir);
        Files.createDirectories(tmpDir);
        if (!MountTable.isMountPoint(this.root)) {
            Sys.mount(this.root.toString(), this.root, null, Sys.MS_BIND, null);
        }
        Sys.mount(null, this.root, null, Sys.MS_PRIVATE, null);
    }

    /** The directory holding a layer's files, inside its record directory. */
    protected abstract Path content(Path layerDir);

    /** Fills {@code tmpLayer} (a fresh record directory) from the tar; returns its content bytes. */
    protected abstract long unpack(Path tmpLayer, String parent, InputStream tar) throws IOException;

    /** Called before {@code tmpRecord} is renamed to {@code record}; {@link #discarded} undoes it. */
    @Override
    public void publishing(Path tmpRecord, Path record) throws IOException {
    }

    /** A layer record that lost a publication race or was removed, now under tmp/. */
    @Override
    public void discarded(Path record) throws IOException {
    }

    /** Creates the container's directories in {@code tmpContainer}. */
    protected abstract void create(Path tmpContainer, String topLayer, boolean readOnly) throws IOException;

    /** Makes the container's root filesystem usable (mounting it if needed); returns its path. */
    protected abstract Path mount(Path container, String topLayer, boolean readOnly) throws IOException;

    /** Unmounts the container's root filesystem if it is mounted. */
    protected abstract void unmount(Path container) throws IOException;

    /** Fills {@code tmpLayer} with the container's changes; returns their content bytes. */
    protected abstract long commit(Path container, String topLayer, Path tmpLayer) throws IOException;

    /** Bytes written by the container. */
    protected abstract long usage(Path container, String topLayer) throws IOException;

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Layer applyLayer(String layerId, String parentLayerId, InputStream tar) throws IOException {
        lock.readLock().lock();
        try {
            Optional<Layer> existing = layers.checkNew(layerId, parentLayerId);
            if (existing.isPresent()) {
                return existing.get();
            }
            Path tmp = Files.createTempDirectory(tmpDir, "layer");
            try {
                long size = unpack(tmp, parentLayerId, tar);
                return layers.publish(tmp, layerId, parentLayerId, size);
            } finally {
                Trees.delete(tmp);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public boolean hasLayer(String layerId) {
        return layers.has(layerId);
    }

    @Override
    public Optional<Layer> layer(String layerId) throws IOException {
        return layers.get(layerId);
    }

    @Override
    public List<Layer> layers() throws IOException {
        return layers.all();
    }

    @Override
    public void removeLayer(String layerId) throws IOException {
        lock.writeLock().lock();
        try {
            if (!layers.has(layerId)) {
                return;
            }
            for (Layer l : layers.all()) {
                if (layerId.equals(l.parent())) {
                    throw new GraphException(GraphException.Reason.LAYER_IN_USE,
                            "layer " + layerId + " is the parent of layer " + l.id());
                }
            }
            for (String c : containers()) {
                if (layerId.equals(topLayer(containerDir(c)))) {
                    throw new GraphException(GraphException.Reason.LAYER_IN_USE,
                            "layer " + layerId + " is used by container " + c);
                }
            }
            layers.remove(layerId, tmpDir.resolve("removed-" + UUID.randomUUID()));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The layer records from {@code top} down to its base layer, top first; empty for null. */
    protected List<Path> chain(String top) throws IOException {
        return layers.chain(top);
    }

    @Override
    public Path prepare(String containerId, String topLayerId, boolean readOnly) throws IOException {
        Path dir = containerDir(containerId);
        lock.readLock().lock();
        try {
            synchronized (containerLock(containerId)) {
                if (Files.isDirectory(dir)) {
                    if (!Objects.equals(topLayer(dir), topLayerId) || readOnly(dir) != readOnly) {
                        throw new GraphException(GraphException.Reason.CONFLICT, "container " + containerId
                                + " exists with layer " + topLayer(dir) + (readOnly(dir) ? " (read-only)" : ""));
                    }
                    return mount(dir, topLayerId, readOnly);
                }
                if (topLayerId != null && !layers.has(topLayerId)) {
                    throw new GraphException(GraphException.Reason.NO_SUCH_LAYER, "no layer " + topLayerId);
                }
                Path tmp = Files.createTempDirectory(tmpDir, "container");
                try {
                    Files.writeString(tmp.resolve("layer"), topLayerId == null ? "" : topLayerId);
                    if (readOnly) {
                        Files.createFile(tmp.resolve("readonly"));
                    }
                    create(tmp, topLayerId, readOnly);
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Trees.delete(tmp);
                }
                LOG.debugf("prepared container %s on layer %s%s", containerId, topLayerId, readOnly ? " (read-only)" : "");
                try {
                    return mount(dir, topLayerId, readOnly);
                } catch (IOException | RuntimeException e) {
                    remove(dir);
                    throw e;
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void release(String containerId) throws IOException {
        Path dir = containerDir(containerId);
        lock.readLock().lock();
        try {
            synchronized (containerLock(containerId)) {
                if (Files.isDirectory(dir)) {
                    remove(dir);
                    LOG.debugf("released container %s", containerId);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private void remove(Path dir) throws IOException {
        unmount(dir);
        Path doomed = tmpDir.resolve("released-" + UUID.randomUUID());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        Trees.delete(doomed);
    }

    @Override
    public List<String> containers() throws IOException {
        List<String> result = new ArrayList<>();
        for (Path dir : Trees.directories(containersDir)) {
            result.add(Names.decode(dir.getFileName().toString()));
        }
        return result;
    }

    @Override
    public Layer commit(String containerId, String newLayerId) throws IOException {
        Path dir = containerDir(containerId);
        lock.readLock().lock();
        try {
            synchronized (containerLock(containerId)) {
                if (!Files.isDirectory(dir)) {
                    throw new GraphException(GraphException.Reason.NO_SUCH_CONTAINER, "no container " + containerId);
                }
                String top = topLayer(dir);
                Optional<Layer> existing = layers.checkNew(newLayerId, top);
                if (existing.isPresent()) {
                    return existing.get();
                }
                Path tmp = Files.createTempDirectory(tmpDir, "commit");
                try {
                    long size = commit(dir, top, tmp);
                    return layers.publish(tmp, newLayerId, top, size);
                } finally {
                    Trees.delete(tmp);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<String, Path> mounts() throws IOException {
        Map<String, Path> result = new TreeMap<>();
        for (MountTable.Mount m : MountTable.under(containersDir)) {
            Path rel = containersDir.relativize(m.mountPoint());
            if (rel.getNameCount() > 0 && !rel.toString().isEmpty()) {
                result.put(Names.decode(rel.getName(0).toString()), m.mountPoint());
            }
        }
        return result;
    }

    @Override
    public long usage(String containerId) throws IOException {
        Path dir = containerDir(containerId);
        if (!Files.isDirectory(dir)) {
            throw new GraphException(GraphException.Reason.NO_SUCH_CONTAINER, "no container " + containerId);
        }
        return usage(dir, topLayer(dir));
    }

    @Override
    public void close() throws IOException {
        // Only our own bind of the root onto itself, never a filesystem an administrator mounted there.
        if (MountTable.under(root).stream().allMatch(m -> m.mountPoint().equals(root)) && MountTable.isSelfBind(root)) {
            Trees.unmountAll(root);
        }
    }

    protected Path layerDir(String layerId) throws GraphException {
        return layers.record(layerId);
    }

    protected Path containerDir(String containerId) throws GraphException {
        return containersDir.resolve(Names.encode(containerId));
    }

    protected static String topLayer(Path container) throws IOException {
        String s = Files.readString(container.resolve("layer"), StandardCharsets.UTF_8);
        return s.isEmpty() ? null : s;
    }

    protected static boolean readOnly(Path container) {
        return Files.exists(container.resolve("readonly"));
    }

    private Object containerLock(String containerId) {
        return containerLocks[Math.floorMod(containerId.hashCode(), containerLocks.length)];
    }
}
