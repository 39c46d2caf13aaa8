package io.capstan.node.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image made from a plain root-filesystem tarball (gzip or not): the tarball becomes the one
 * layer as it is, and the config is built from {@link ImportOptions}. Nothing time-dependent goes
 * into the config, so the same tarball and options always give the same image id.
 */
final class RootfsImage {
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private RootfsImage() {}

    static ParsedImage parse(Path file, ImageReference ref, ImportOptions options, Staging staging) throws IOException {
        if (ref == null) {
            throw new InvalidImageException(file + " is a root-filesystem tarball: give a REF to name the image");
        }
        TarReader.Result measured;
        try (InputStream in = Files.newInputStream(file)) {
            measured = TarReader.read(in, file.toString(), (e, c) -> { });
        }
        if (measured.entries() == 0) {
            throw new InvalidImageException(file + " is an empty tar archive (no files)");
        }
        Staging.StagedFile layer;
        try (InputStream in = Files.newInputStream(file)) {
            layer = staging.write(in);
        }
        boolean gzip = measured.compression() == Compression.Kind.GZIP;
        Map<String, Object> runtime = new LinkedHashMap<>();
        List<String> env = new ArrayList<>(options.env());
        if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.add(0, DEFAULT_PATH);
        }
        runtime.put("Env", env);
        if (!options.entrypoint().isEmpty()) {
            runtime.put("Entrypoint", options.entrypoint());
        }
        if (!options.cmd().isEmpty()) {
            runtime.put("Cmd", options.cmd());
        }
        if (!options.workingDir().isEmpty()) {
            runtime.put("WorkingDir", options.workingDir());
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", Platform.architecture());
        config.put("os", "linux");
        config.put("config", runtime);
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", List.of(measured.diffId().toString()));
        config.put("rootfs", rootfs);
        config.put("history", List.of(Map.of("created_by", "capstan image import")));
        Staging.StagedFile configFile = staging.write(Json.write(config));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", ArchiveImages.descriptor(MediaTypes.OCI_CONFIG, configFile.digest(), configFile.size()));
        manifest.put("layers", List.of(ArchiveImages.descriptor(gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER,
            layer.digest(), layer.size())));
        Staging.StagedFile manifestFile = staging.write(Json.write(manifest));

        Map<Digest, Path> blobs = new HashMap<>();
        blobs.put(layer.digest(), layer.path());
        blobs.put(configFile.digest(), configFile.path());
        blobs.put(manifestFile.digest(), manifestFile.path());
        return new ParsedImage(manifestFile.digest(), List.of(ref.toString()), blobs, measured.size());
    }
}
