package io.capstan.node.image;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image-layout archive ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}).
 * Each manifest of {@code index.json} is one image (an image index picks the manifest for this
 * machine's platform); its name comes from the REF argument, else from the descriptor's
 * {@code io.containerd.image.name} annotation or a full reference in
 * {@code org.opencontainers.image.ref.name}. Every blob's digest and size are verified.
 */
final class OciLayout extends ArchiveImages {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    OciLayout(ArchiveFiles files) {
        super(files);
    }

    @Override
    List<ParsedImage> images(ImageReference ref) throws IOException {
        ObjectNode layout = Json.object(files.read(files.require("oci-layout", "file")), archive + ": oci-layout");
        if (Json.text(layout, "imageLayoutVersion") == null) {
            throw new InvalidImageException(archive + ": oci-layout has no imageLayoutVersion");
        }
        ObjectNode index = Json.object(files.read(files.require("index.json", "file")), archive + ": index.json");
        JsonNode manifests = index.get("manifests");
        if (manifests == null || !manifests.isArray() || manifests.isEmpty()) {
            throw new InvalidImageException(archive + ": index.json lists no manifests");
        }
        if (ref != null && manifests.size() > 1) {
            throw new InvalidImageException(archive + ": the archive holds " + manifests.size()
                + " images, so it cannot be imported under one REF");
        }
        Map<Digest, ParsedImage> byManifest = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (JsonNode desc : manifests) {
            JsonNode manifestDesc = platformManifest(desc);
            Digest digest = digest(Json.text(manifestDesc, "digest"), "manifest descriptor");
            List<String> names = new ArrayList<>();
            String name = name(desc);
            if (name != null) {
                names.add(name);
            }
            ParsedImage parsed = byManifest.get(digest);
            if (parsed == null) {
                parsed = manifest(digest, manifestDesc);
                order.add(digest.toString());
            }
            List<String> all = new ArrayList<>(parsed.tags());
            all.addAll(tags(ref, names));
            byManifest.put(digest, new ParsedImage(digest, all.stream().distinct().toList(), parsed.blobs(),
                parsed.unpackedSize()));
        }
        return order.stream().map(d -> byManifest.get(Digest.parse(d))).toList();
    }

    /** The normalized name a descriptor's annotations give, or null. */
    private String name(JsonNode desc) throws InvalidImageException {
        Map<String, String> ann = Json.stringMap(desc, "annotations");
        String full = ann.get(CONTAINERD_NAME);
        String refName = ann.get(REF_NAME);
        if (full == null && refName != null && (refName.contains("/") || refName.contains(":"))) {
            full = refName;
        }
        if (full == null) {
            return null;
        }
        try {
            ImageReference r = ImageReference.parse(full);
            return r.tag() == null ? null : r.withTag(r.tag()).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(archive + ": index.json names the image badly: " + e.getMessage());
        }
    }

    /** A manifest descriptor, or the one for this platform when {@code desc} is an image index. */
    private JsonNode platformManifest(JsonNode desc) throws IOException {
        String mediaType = Json.text(desc, "mediaType");
        if (!MediaTypes.isIndex(mediaType)) {
            return desc;
        }
        Digest digest = digest(Json.text(desc, "digest"), "index descriptor");
        ObjectNode nested = Json.object(java.nio.file.Files.readAllBytes(blob(digest, desc, "image index")), archive + ": image index " + digest);
        String arch = Platform.architecture();
        for (JsonNode m : nested.path("manifests")) {
            JsonNode p = m.get("platform");
            if (p != null && "linux".equals(Json.text(p, "os")) && arch.equals(Json.text(p, "architecture"))) {
                return m;
            }
        }
        throw new InvalidImageException(archive + ": image index " + digest + " has no manifest for linux/" + arch);
    }

    /** A staged blob, checked against the descriptor's digest and size. */
    private Path blob(Digest digest, JsonNode desc, String role) throws InvalidImageException {
        Staging.StagedFile f = files.require("blobs/sha256/" + digest.hex(), role);
        if (!f.digest().equals(digest)) {
            throw new InvalidImageException(archive + ": digest mismatch: blobs/sha256/" + digest.hex() + " has digest "
                + f.digest());
        }
        JsonNode size = field(desc, "size");
        if (size != null && size.isNumber() && size.asLong() != f.size()) {
            throw new InvalidImageException(archive + ": size mismatch: " + role + " " + digest + " is " + f.size()
                + " bytes, its descriptor says " + size.asLong());
        }
        return f.path();
    }

    private ParsedImage manifest(Digest digest, JsonNode desc) throws IOException {
        Map<Digest, Path> blobs = new HashMap<>();
        Path manifestFile = blob(digest, desc, "manifest");
        blobs.put(digest, manifestFile);
        ObjectNode manifest = Json.object(java.nio.file.Files.readAllBytes(manifestFile), archive + ": manifest " + digest);
        JsonNode configDesc = manifest.get("config");
        if (configDesc == null) {
            throw new InvalidImageException(archive + ": manifest " + digest + " has no config");
        }
        Digest configDigest = digest(Json.text(configDesc, "digest"), "config descriptor");
        Path configFile = blob(configDigest, configDesc, "config");
        blobs.put(configDigest, configFile);
        ObjectNode config = Json.object(java.nio.file.Files.readAllBytes(configFile), archive + ": config " + configDigest);
        JsonNode layers = manifest.path("layers");
        List<Digest> diffIds = diffIds(config, layers.size(), configDigest);
        long unpacked = 0;
        int i = 0;
        for (JsonNode layerDesc : layers) {
            Digest layer = digest(Json.text(layerDesc, "digest"), "layer descriptor");
            Path file = blob(layer, layerDesc, "layer");
            blobs.put(layer, file);
            unpacked += checkLayer(layer, file, diffIds.get(i++));
        }
        return new ParsedImage(digest, List.of(), blobs, unpacked);
    }
}
