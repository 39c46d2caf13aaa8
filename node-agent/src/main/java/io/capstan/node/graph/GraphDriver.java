package io.capstan.node.graph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds image layers and gives each container a copy-on-write root filesystem built on a chain of
 * them.
 *
 * <p>Vocabulary: a <em>layer</em> is an unpacked, immutable filesystem change set with an optional
 * parent layer; ids are opaque strings chosen by the caller (capstan passes OCI chain ids). A
 * <em>container</em> is a writable (or read-only) view of a layer chain, named by the caller's
 * container id. Parent relationships and container settings are recorded on disk under
 * {@link #root()}, so a new driver over the same directory (after an agent restart) sees the same
 * layers, containers and mounts.
 *
 * <p>All methods are safe to call from several threads. Layers are published atomically: a layer
 * is either fully present or absent, and two threads applying the same layer end with one copy.
 * Methods throw {@link GraphException} for misuse and bad input, other {@link IOException}s for
 * host failures (a failed mount names the call, path and errno).
 */
public interface GraphDriver extends AutoCloseable {

    /** The driver's config name: {@code overlay} or {@code vfs}. */
    String name();

    /** The directory holding everything of this driver: {@code <data-dir>/graph/<name>}. */
    Path root();

    /**
     * Unpacks an uncompressed layer tar as layer {@code layerId} on top of {@code parentLayerId}
     * (null for a base layer). Idempotent: if the layer exists with the same parent, returns it
     * without reading the stream. OCI whiteouts ({@code .wh.<name>}) and opaque directories
     * ({@code .wh..wh..opq}) hide content of the parent layers. Entries that would write outside the
     * layer ({@code ..}, or through a symlink) fail the whole layer with
     * {@link GraphException.Reason#INVALID_LAYER}, as do truncated or corrupt tars; nothing of a
     * failed layer stays on disk. A new layer's stream is read to its end (so a caller can check
     * the layer's digest with a digesting stream) but not closed.
     */
    Layer applyLayer(String layerId, String parentLayerId, InputStream uncompressedTar) throws IOException;

    /** Whether the layer exists (completely unpacked). */
    boolean hasLayer(String layerId);

    /** The layer, if it exists. */
    Optional<Layer> layer(String layerId) throws IOException;

    /** Every layer, in no particular order. */
    List<Layer> layers() throws IOException;

    /**
     * Removes a layer. Refused with {@link GraphException.Reason#LAYER_IN_USE} while it is the
     * parent of another layer or the top layer of a container. A layer that does not exist is a
     * no-op.
     */
    void removeLayer(String layerId) throws IOException;

    /**
     * Creates the root filesystem of a container on the chain ending at {@code topLayerId} (null
     * for an empty root filesystem) and returns its path, ready to use (for overlay: mounted).
     * Writes go to the container's own layer; a {@code readOnly} root filesystem refuses them with
     * EROFS. Calling it again for an existing container with the same arguments returns the same
     * path (re-mounting it if needed, e.g. after a reboot); different arguments are a
     * {@link GraphException.Reason#CONFLICT}.
     */
    Path prepare(String containerId, String topLayerId, boolean readOnly) throws IOException;

    /**
     * Unmounts the container's root filesystem (lazily, with MNT_DETACH, if it is busy) and deletes
     * everything of it. A container that does not exist is a no-op.
     */
    void release(String containerId) throws IOException;

    /** The ids of the containers this driver holds, mounted or not. */
    List<String> containers() throws IOException;

    /**
     * Turns the container's changes into a new layer {@code newLayerId} whose parent is the
     * container's top layer (deletions become whiteouts where the driver stores diffs). The
     * container stays as it is. Idempotent like {@link #applyLayer}.
     */
    Layer commit(String containerId, String newLayerId) throws IOException;

    /**
     * What this driver has mounted, from the kernel's mount table: container id to mount point.
     * After an agent restart, containers found here that the agent no longer wants are released.
     */
    Map<String, Path> mounts() throws IOException;

    /** Bytes the container has written to its own layer (an estimate for vfs, see the docs). */
    long usage(String containerId) throws IOException;

    /**
     * Releases the driver's own mount of its root (a private bind mount of the root onto itself)
     * when no container is mounted any more; containers stay prepared and mounted for the next
     * driver instance. A filesystem mounted at the root by the administrator stays mounted.
     */
    @Override
    void close() throws IOException;
}
