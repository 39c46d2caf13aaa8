package io.capstan.node.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading the stored images: what a reference resolves to in an index snapshot, and each
 * image's config and layers from its manifest and config blobs (cached; blobs never change).
 */
final class StoredImages {
    /** The immutable parts of an image: its id (config digest), config and layers. */
    record Parts(Digest id, ImageConfig config, List<Layer> layers) {}

    private final BlobStore blobs;
    private final Map<Digest, Parts> cache = new ConcurrentHashMap<>();

    StoredImages(BlobStore blobs) {
        this.blobs = blobs;
    }

    Optional<Digest> resolve(String reference, IndexFile.Snapshot s) throws IOException {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("invalid image reference: empty");
        }
        String idHex = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        if (Digest.isDigest("sha256:" + idHex)) {
            return byIdPrefix(idHex, s);
        }
        ImageReference r = ImageReference.parse(reference);
        if (r.digest() != null) {
            Digest m = r.digest();
            boolean inRepo = s.tagsOf(m).stream().anyMatch(t -> ImageReference.parse(t).name().equals(r.name()));
            return inRepo ? Optional.of(m) : Optional.empty();
        }
        Digest tagged = s.tags().get(r.toString());
        if (tagged != null) {
            return Optional.of(tagged);
        }
        if (reference.matches("[a-f0-9]{12,63}")) {
            return byIdPrefix(reference, s);
        }
        return Optional.empty();
    }

    boolean isIdReference(String reference, IndexFile.Snapshot s) {
        String hex = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        return hex.matches("[a-f0-9]{12,64}") && !s.tags().containsKey(normalizedOrNull(reference));
    }

    private Optional<Digest> byIdPrefix(String hexPrefix, IndexFile.Snapshot s) throws IOException {
        Digest found = null;
        for (String m : s.images().keySet()) {
            Digest manifest = Digest.parse(m);
            if (parts(manifest).id().hex().startsWith(hexPrefix)) {
                if (found != null && !parts(found).id().equals(parts(manifest).id())) {
                    throw new IllegalArgumentException("image id prefix " + hexPrefix + " is ambiguous");
                }
                found = manifest;
            }
        }
        return Optional.ofNullable(found);
    }

    static String normalizedOrNull(String reference) {
        try {
            return ImageReference.parse(reference).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    Image image(Digest manifest, IndexFile.Snapshot s) {
        Parts p;
        try {
            p = parts(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Image(p.id(), manifest, s.tagsOf(manifest), p.config(), p.layers(),
            s.images().getOrDefault(manifest.toString(), 0L));
    }

    Parts parts(Digest manifest) throws IOException {
        Parts p = cache.get(manifest);
        if (p == null) {
            p = readParts(manifest);
            cache.put(manifest, p);
        }
        return p;
    }

    private Parts readParts(Digest manifestDigest) throws IOException {
        ObjectNode manifest = Json.object(blobs.read(manifestDigest), "manifest " + manifestDigest);
        Digest configDigest = Digest.parse(Json.text(manifest.get("config"), "digest"));
        ObjectNode config = Json.object(blobs.read(configDigest), "config " + configDigest);
        List<String> diffIds = Json.strings(config.path("rootfs"), "diff_ids");
        List<Layer> layers = new ArrayList<>();
        int i = 0;
        for (JsonNode l : manifest.path("layers")) {
            layers.add(new Layer(Digest.parse(Json.text(l, "digest")), Digest.parse(diffIds.get(i++)),
                Json.text(l, "mediaType"), l.path("size").asLong()));
        }
        JsonNode c = config.get("config");
        ImageConfig ic = new ImageConfig(Json.strings(c, "Entrypoint"), Json.strings(c, "Cmd"), Json.strings(c, "Env"),
            Json.text(c, "WorkingDir"), Json.text(c, "User"), Json.stringMap(c, "Labels"));
        return new Parts(configDigest, ic, layers);
    }
}
