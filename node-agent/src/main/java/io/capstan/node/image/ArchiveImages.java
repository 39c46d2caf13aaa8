package io.capstan.node.image;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the OCI-layout and docker-archive readers share: the extracted files, checks of blob
 * digests, and the diffID of each layer (read once per blob, compared with the config's
 * {@code rootfs.diff_ids}).
 */
abstract class ArchiveImages {
    final ArchiveFiles files;
    final String archive;
    private final Map<Digest, TarReader.Result> measured = new HashMap<>();

    ArchiveImages(ArchiveFiles files) {
        this.files = files;
        this.archive = files.archive();
    }

    /** The images of the archive, verified; {@code ref} (may be null) names the only one. */
    abstract List<ParsedImage> images(ImageReference ref) throws IOException;

    /** Reads a layer blob through, proving it a complete tar, and returns its diffID and size. */
    TarReader.Result measure(Digest digest, Path staged) throws IOException {
        TarReader.Result r = measured.get(digest);
        if (r == null) {
            try (InputStream in = Files.newInputStream(staged)) {
                r = TarReader.read(in, archive + ": layer " + digest, (e, c) -> { });
            }
            measured.put(digest, r);
        }
        return r;
    }

    /** The config's diff_ids, checked against the number of layers. */
    List<Digest> diffIds(ObjectNode config, int layers, Digest configDigest) throws InvalidImageException {
        List<String> ids = Json.strings(config.path("rootfs"), "diff_ids");
        if (ids == null) {
            throw new InvalidImageException(archive + ": config " + configDigest + " has no rootfs.diff_ids");
        }
        if (ids.size() != layers) {
            throw new InvalidImageException(archive + ": config " + configDigest + " lists " + ids.size()
                + " layer diffIDs but the manifest has " + layers + " layers");
        }
        return ids.stream().map(s -> digest(s, "config " + configDigest + " diffID")).toList();
    }

    /** Checks that a layer's content matches the diffID the config gives it. */
    long checkLayer(Digest digest, Path staged, Digest expectedDiffId) throws IOException {
        TarReader.Result r = measure(digest, staged);
        if (!r.diffId().equals(expectedDiffId)) {
            throw new InvalidImageException(archive + ": digest mismatch: layer " + digest + " unpacks to "
                + r.diffId() + " but the config says " + expectedDiffId);
        }
        return r.size();
    }

    Digest digest(String s, String what) {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(archive + ": " + what + ": " + e.getMessage());
        }
    }

    /** The tag names to give one image: {@code ref} if given, else those the archive gives. */
    static List<String> tags(ImageReference ref, List<String> archiveNames) {
        if (ref != null) {
            return List.of(ref.toString());
        }
        return archiveNames.stream().distinct().toList();
    }

    static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    static JsonNode field(JsonNode node, String name) {
        return node == null ? null : node.get(name);
    }
}
