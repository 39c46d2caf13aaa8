package io.capstan.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archive shapes beyond the plain ones TestImages writes: links, several images, image indexes. */
class ArchiveFormatsTest {
    @TempDir
    Path data;
    @TempDir
    Path work;

    @Test
    void aDockerArchiveWithTwoImagesAndASymlinkedLayer() throws Exception {
        byte[] tar = TestImages.rootfsTar();
        String layerId = TestImages.sha256(tar);
        byte[] config = TestImages.config(layerId);
        String config2Hex = TestImages.sha256(config2(layerId));
        List<Object> manifest = List.of(
            Map.of("Config", TestImages.sha256(config) + ".json", "RepoTags", List.of("one:1"),
                "Layers", List.of(layerId + "/layer.tar")),
            Map.of("Config", config2Hex + ".json", "RepoTags", List.of("two:2", "two:latest"),
                "Layers", List.of("other/layer.tar")));
        Path file = work.resolve("two.tar");
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            put(t, layerId + "/layer.tar", tar);
            TarArchiveEntry link = new TarArchiveEntry("other/layer.tar", TarConstants.LF_SYMLINK);
            link.setLinkName("../" + layerId + "/layer.tar");
            t.putArchiveEntry(link);
            t.closeArchiveEntry();
            put(t, TestImages.sha256(config) + ".json", config);
            put(t, config2Hex + ".json", config2(layerId));
            put(t, "manifest.json", TestImages.json(manifest));
        }
        ImageStore store = ImageStore.open(data, ImageUsage.NONE);
        List<Image> images = store.importArchive(file, null, null);
        assertEquals(2, images.size());
        assertEquals(List.of("docker.io/library/one:1"), images.get(0).references());
        assertEquals(List.of("docker.io/library/two:2", "docker.io/library/two:latest"), images.get(1).references());
        assertEquals(List.of("ls"), images.get(1).config().cmd());
        assertEquals(images.get(0).layers(), images.get(1).layers());
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> store.importArchive(file, "x", null));
        assertTrue(e.getMessage().endsWith("the archive holds 2 images, so it cannot be imported under one REF"),
            e.getMessage());
    }

    @Test
    void anOciImageIndexGivesThisMachinesManifest() throws Exception {
        byte[] tar = TestImages.rootfsTar();
        byte[] config = TestImages.config(TestImages.sha256(tar));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", desc(MediaTypes.OCI_CONFIG, config));
        manifest.put("layers", List.of(desc(MediaTypes.OCI_LAYER, tar)));
        byte[] manifestBytes = TestImages.json(manifest);
        String arch = Platform.architecture();
        Map<String, Object> mine = desc(MediaTypes.OCI_MANIFEST, manifestBytes);
        mine.put("platform", Map.of("os", "linux", "architecture", arch));
        Map<String, Object> foreign = new LinkedHashMap<>();
        foreign.put("mediaType", MediaTypes.OCI_MANIFEST);
        foreign.put("digest", "sha256:" + "0".repeat(64));
        foreign.put("size", 10);
        foreign.put("platform", Map.of("os", "linux", "architecture", arch.equals("amd64") ? "arm64" : "amd64"));
        byte[] nested = TestImages.json(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX,
            "manifests", List.of(foreign, mine)));
        Map<String, Object> top = desc(MediaTypes.OCI_INDEX, nested);
        top.put("annotations", Map.of("io.containerd.image.name", "docker.io/library/multi:1",
            "org.opencontainers.image.ref.name", "1"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", TestImages.json(Map.of("schemaVersion", 2, "manifests", List.of(top))));
        files.put("blobs/sha256/" + TestImages.sha256(nested), nested);
        files.put("blobs/sha256/" + TestImages.sha256(manifestBytes), manifestBytes);
        files.put("blobs/sha256/" + TestImages.sha256(config), config);
        files.put("blobs/sha256/" + TestImages.sha256(tar), tar);
        Path file = work.resolve("multi.tar");
        TestImages.writeTar(file, files);
        Image image = ImageStore.open(data, ImageUsage.NONE).importArchive(file, null, null).get(0);
        assertEquals(List.of("docker.io/library/multi:1"), image.references());
        assertEquals(Digest.of(manifestBytes), image.manifestDigest());
    }

    private static byte[] config2(String layerHex) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", Platform.architecture());
        cfg.put("os", "linux");
        cfg.put("config", Map.of("Cmd", List.of("ls")));
        cfg.put("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + layerHex)));
        return TestImages.json(cfg);
    }

    private static Map<String, Object> desc(String mediaType, byte[] content) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", "sha256:" + TestImages.sha256(content));
        d.put("size", content.length);
        return d;
    }

    private static void put(TarArchiveOutputStream t, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        t.putArchiveEntry(e);
        t.write(content);
        t.closeArchiveEntry();
    }
}
