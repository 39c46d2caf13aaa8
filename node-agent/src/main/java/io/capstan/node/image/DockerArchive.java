package io.capstan.node.image;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A docker-archive tarball as {@code docker save} writes it: {@code manifest.json} lists each
 * image's {@code Config} file, {@code RepoTags} and {@code Layers} (tar files, possibly gzip).
 * Files named after their digest ({@code <hex>.json}, {@code blobs/sha256/<hex>}) are verified
 * against it; every layer's diffID is checked against the config. The store keeps an OCI
 * manifest made from these parts (the same archive always gives the same manifest digest).
 */
final class DockerArchive extends ArchiveImages {
    private static final Pattern HEX_NAME = Pattern.compile("(?:^|/)(?:sha256[:/])?([a-f0-9]{64})(?:\\.json)?$");

    DockerArchive(ArchiveFiles files) {
        super(files);
    }

    @Override
    List<ParsedImage> images(ImageReference ref) throws IOException {
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(files.read(files.require("manifest.json", "file")));
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidImageException(archive + ": manifest.json is not valid JSON");
        }
        if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
            throw new InvalidImageException(archive + ": manifest.json lists no images");
        }
        if (ref != null && manifest.size() > 1) {
            throw new InvalidImageException(archive + ": the archive holds " + manifest.size()
                + " images, so it cannot be imported under one REF");
        }
        List<ParsedImage> out = new ArrayList<>();
        for (JsonNode entry : manifest) {
            out.add(image(entry, ref));
        }
        return out;
    }

    private ParsedImage image(JsonNode entry, ImageReference ref) throws IOException {
        String configName = Json.text(entry, "Config");
        if (configName == null) {
            throw new InvalidImageException(archive + ": manifest.json has an entry without Config");
        }
        Staging.StagedFile config = named(configName, "config");
        ObjectNode configJson = Json.object(files.read(config), archive + ": config " + configName);
        List<String> layerNames = Json.strings(entry, "Layers");
        if (layerNames == null) {
            throw new InvalidImageException(archive + ": manifest.json entry " + configName + " has no Layers");
        }
        List<Digest> diffIds = diffIds(configJson, layerNames.size(), config.digest());
        Map<Digest, Path> blobs = new HashMap<>();
        blobs.put(config.digest(), config.path());
        List<Object> layers = new ArrayList<>();
        long unpacked = 0;
        for (int i = 0; i < layerNames.size(); i++) {
            Staging.StagedFile layer = named(layerNames.get(i), "layer");
            unpacked += checkLayer(layer.digest(), layer.path(), diffIds.get(i));
            boolean gzip = measure(layer.digest(), layer.path()).compression() == Compression.Kind.GZIP;
            blobs.put(layer.digest(), layer.path());
            layers.add(descriptor(gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER, layer.digest(), layer.size()));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", 2);
        doc.put("mediaType", MediaTypes.OCI_MANIFEST);
        doc.put("config", descriptor(MediaTypes.OCI_CONFIG, config.digest(), config.size()));
        doc.put("layers", layers);
        byte[] manifestBytes = Json.write(doc);
        Digest manifestDigest = Digest.of(manifestBytes);
        Path manifestFile = Files.createTempFile(config.path().getParent(), "manifest", ".json");
        Files.write(manifestFile, manifestBytes);
        blobs.put(manifestDigest, manifestFile);
        List<String> names = new ArrayList<>();
        List<String> repoTags = Json.strings(entry, "RepoTags");
        for (String t : repoTags == null ? List.<String>of() : repoTags) {
            try {
                names.add(ImageReference.parse(t).toString());
            } catch (IllegalArgumentException e) {
                throw new InvalidImageException(archive + ": manifest.json RepoTags: " + e.getMessage());
            }
        }
        return new ParsedImage(manifestDigest, tags(ref, names), blobs, unpacked);
    }

    /** A file named in manifest.json; a digest in its name must match its content. */
    private Staging.StagedFile named(String name, String role) throws InvalidImageException {
        Staging.StagedFile f = files.require(name, role);
        Matcher m = HEX_NAME.matcher(ArchiveFiles.normalize(name));
        if (m.find() && (role.equals("config") || name.contains("blobs/")) && !f.digest().hex().equals(m.group(1))) {
            throw new InvalidImageException(archive + ": digest mismatch: " + role + " " + name + " has digest " + f.digest());
        }
        return f;
    }
}
