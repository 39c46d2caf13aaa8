package io.capstan.node.image;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code <images>/index.json}: the images in the store (manifest digest -> unpacked size) and the
 * tags that name them (normalized reference -> manifest digest). It is replaced whole by an atomic
 * rename, so readers need no lock; {@link #current()} re-reads it when the file changed (another
 * process imported or removed an image).
 */
final class IndexFile {
    /** One state of the index. Maps are sorted and unmodifiable. */
    record Snapshot(Map<String, Digest> tags, Map<String, Long> images) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());

        Snapshot {
            tags = Collections.unmodifiableMap(new TreeMap<>(tags));
            images = Collections.unmodifiableMap(new TreeMap<>(images));
        }

        /** The tags of one manifest, sorted. */
        java.util.List<String> tagsOf(Digest manifest) {
            return tags.entrySet().stream().filter(e -> e.getValue().equals(manifest)).map(Map.Entry::getKey).toList();
        }
    }

    private record Cached(Object fileKey, long modified, long size, Snapshot snapshot) {}

    private final Path file;
    private volatile Cached cached;

    IndexFile(Path file) {
        this.file = file;
    }

    Snapshot current() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Snapshot.EMPTY;
        }
        Cached c = cached;
        if (c != null && Objects.equals(c.fileKey, attrs.fileKey()) && c.modified == attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)
            && c.size == attrs.size()) {
            return c.snapshot;
        }
        Snapshot s;
        try {
            s = parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Snapshot.EMPTY;
        }
        cached = new Cached(attrs.fileKey(), attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), attrs.size(), s);
        return s;
    }

    /** Replaces the index (temp file, fsync, rename, fsync of the directory); call under the store lock. */
    void write(Snapshot s) throws IOException {
        Map<String, Object> images = new LinkedHashMap<>();
        s.images().forEach((digest, size) -> images.put(digest, Map.of("unpackedSize", size)));
        Map<String, String> tags = new LinkedHashMap<>();
        s.tags().forEach((ref, digest) -> tags.put(ref, digest.toString()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", 1);
        doc.put("images", images);
        doc.put("tags", tags);
        byte[] bytes = Json.write(doc);
        Path tmp = Files.createTempFile(file.getParent(), "index.json.", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        BlobStore.fsyncDirectory(file.getParent());
    }

    private Snapshot parse(byte[] bytes) throws IOException {
        ObjectNode doc = Json.object(bytes, file.toString());
        Map<String, Long> images = new TreeMap<>();
        JsonNode imgs = doc.get("images");
        if (imgs != null) {
            imgs.properties().forEach(e -> images.put(Digest.parse(e.getKey()).toString(),
                e.getValue().path("unpackedSize").asLong()));
        }
        Map<String, Digest> tags = new TreeMap<>();
        JsonNode t = doc.get("tags");
        if (t != null) {
            t.properties().forEach(e -> tags.put(e.getKey(), Digest.parse(e.getValue().asString())));
        }
        return new Snapshot(tags, images);
    }
}
