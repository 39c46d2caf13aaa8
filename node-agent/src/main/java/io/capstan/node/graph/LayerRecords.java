package io.capstan.node.graph;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The layer records of a driver, {@code layers/<id>/} with a {@code parent} and a {@code size}
 * file beside the driver's content directory. A record directory exists only once the layer is
 * complete: it is built elsewhere (under {@code tmp/}) and renamed into place, and the loser of a
 * race to publish the same layer discards its copy.
 */
final class LayerRecords {

    /** Driver work around publication: {@code discarded} undoes {@code publishing}. */
    interface Hooks {
        void publishing(Path tmpRecord, Path record) throws IOException;

        void discarded(Path record) throws IOException;
    }

    private final Path dir;
    private final Hooks hooks;

    LayerRecords(Path dir, Hooks hooks) {
        this.dir = dir;
        this.hooks = hooks;
    }

    Path record(String id) throws GraphException {
        return dir.resolve(Names.encode(id));
    }

    boolean has(String id) {
        try {
            return Files.isDirectory(record(id));
        } catch (GraphException e) {
            return false;
        }
    }

    Optional<Layer> get(String id) throws IOException {
        return read(record(id), id);
    }

    List<Layer> all() throws IOException {
        List<Layer> result = new ArrayList<>();
        for (Path record : Trees.directories(dir)) {
            read(record, Names.decode(record.getFileName().toString())).ifPresent(result::add);
        }
        return result;
    }

    /**
     * The layer if it exists with this parent; empty if it does not exist and its parent does;
     * otherwise CONFLICT or NO_SUCH_LAYER.
     */
    Optional<Layer> checkNew(String id, String parent) throws IOException {
        Optional<Layer> existing = get(id);
        if (existing.isPresent() && !Objects.equals(existing.get().parent(), parent)) {
            throw new GraphException(GraphException.Reason.CONFLICT, "layer " + id
                    + " exists with parent " + existing.get().parent() + ", not " + parent);
        }
        if (existing.isEmpty() && parent != null && !has(parent)) {
            throw new GraphException(GraphException.Reason.NO_SUCH_LAYER, "no parent layer " + parent);
        }
        return existing;
    }

    /** Records parent and size in {@code tmp} and renames it into place. */
    Layer publish(Path tmp, String id, String parent, long size) throws IOException {
        Path record = record(id);
        if (parent != null) {
            Files.writeString(tmp.resolve("parent"), parent);
        }
        Files.writeString(tmp.resolve("size"), Long.toString(size));
        hooks.publishing(tmp, record);
        try {
            Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            hooks.discarded(tmp);
            if (!Files.isDirectory(record)) {
                throw e;
            }
            return checkNew(id, parent).orElseThrow(() -> e); // published first by someone else
        }
        return new Layer(id, parent, size);
    }

    /** Moves the record to {@code doomed} (so it disappears at once), then deletes it. */
    void remove(String id, Path doomed) throws IOException {
        Files.move(record(id), doomed, StandardCopyOption.ATOMIC_MOVE);
        hooks.discarded(doomed);
        Trees.delete(doomed);
    }

    /** The records from {@code top} down to its base layer, top first; empty for null. */
    List<Path> chain(String top) throws IOException {
        List<Path> result = new ArrayList<>();
        for (String id = top; id != null; ) {
            Path record = record(id);
            if (!Files.isDirectory(record)) {
                throw new GraphException(GraphException.Reason.NO_SUCH_LAYER, "no layer " + id);
            }
            result.add(record);
            Path parentFile = record.resolve("parent");
            id = Files.exists(parentFile) ? Files.readString(parentFile) : null;
        }
        return result;
    }

    private static Optional<Layer> read(Path record, String id) throws IOException {
        if (!Files.isDirectory(record)) {
            return Optional.empty();
        }
        Path parentFile = record.resolve("parent");
        String parent = Files.exists(parentFile) ? Files.readString(parentFile) : null;
        long size = Long.parseLong(Files.readString(record.resolve("size")).trim());
        return Optional.of(new Layer(id, parent, size));
    }
}
