package io.capstan.node.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.cri.ImageInfo;
import io.capstan.node.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
    @TempDir
    Path data;
    @TempDir
    Path work;

    private ImageStore store() throws IOException {
        return ImageStore.open(data, ImageUsage.fromContainerState(data));
    }

    @Test
    void importsARootfsTarballWithItsConfigOptions() throws Exception {
        ImageStore store = store();
        ImportOptions opts = new ImportOptions(List.of("/bin/sh", "-c"), List.of("echo hi"), List.of("FOO=bar"), "/tmp");
        Image image = store.importArchive(TestImages.rootfsTarball(work, false), "busybox:rootfs", opts).get(0);
        assertEquals(List.of("docker.io/library/busybox:rootfs"), image.references());
        assertEquals(List.of("/bin/sh", "-c"), image.config().entrypoint());
        assertEquals(List.of("echo hi"), image.config().cmd());
        assertEquals(List.of(RootfsImage.DEFAULT_PATH, "FOO=bar"), image.config().env());
        assertEquals("/tmp", image.config().workingDir());
        byte[] tar = TestImages.rootfsTar();
        Layer layer = image.layers().get(0);
        assertEquals(1, image.layers().size());
        assertEquals(Digest.of(tar), layer.diffId());
        assertEquals(Digest.of(tar), layer.digest());
        assertEquals(MediaTypes.OCI_LAYER, layer.mediaType());
        assertEquals(tar.length, layer.size());
        assertEquals(tar.length, image.unpackedSize());
        assertEquals(Digest.of(Files.readAllBytes(store.root().resolve("blobs/sha256/" + image.id().hex()))), image.id());
        try (InputStream in = store.openLayer(layer)) {
            assertArrayEquals(tar, in.readAllBytes());
        }
        ImageInfo info = store.imageStatus("busybox:rootfs").orElseThrow();
        assertEquals(image.id().toString(), info.id());
        assertEquals(List.of("docker.io/library/busybox:rootfs", "docker.io/library/busybox@" + image.manifestDigest()),
            info.references());
        assertEquals(List.of(info), store.listImages());
        assertEquals(info, store.imageStatus("docker.io/library/busybox@" + image.manifestDigest()).orElseThrow());
        assertEquals(info, store.imageStatus(image.id().toString()).orElseThrow());
        assertEquals(info, store.imageStatus(image.id().shortHex()).orElseThrow());
        assertTrue(store.imageStatus("busybox").isEmpty());
        assertTrue(store.imageStatus("other@" + image.manifestDigest()).isEmpty());
        assertTrue(store.imageStatus("Not A Reference").isEmpty());
    }

    @Test
    void aGzipRootfsKeepsItsBlobAndUnpacksToTheSameLayer() throws Exception {
        ImageStore store = store();
        Image plain = store.importArchive(TestImages.rootfsTarball(work, false), "plain", ImportOptions.NONE).get(0);
        Image gz = store.importArchive(TestImages.rootfsTarball(work, true), "gz", ImportOptions.NONE).get(0);
        Layer layer = gz.layers().get(0);
        assertEquals(MediaTypes.OCI_LAYER_GZIP, layer.mediaType());
        assertEquals(Digest.of(Files.readAllBytes(work.resolve("busybox-rootfs.tar.gz"))), layer.digest());
        assertEquals(plain.layers().get(0).diffId(), layer.diffId());
        assertEquals(plain.chainIds(), gz.chainIds());
        assertEquals(plain.id(), gz.id(), "same diffIDs and options give the same config");
        try (InputStream in = store.openLayer(layer)) {
            assertArrayEquals(TestImages.rootfsTar(), in.readAllBytes());
        }
    }

    @Test
    void importsAnOciLayoutNamedByAnnotationOrRef() throws Exception {
        ImageStore store = store();
        Image image = store.importArchive(TestImages.ociLayout(work, "docker.io/library/busybox:oci"), null, null).get(0);
        assertEquals(List.of("docker.io/library/busybox:oci"), image.references());
        assertEquals(TestImages.CMD, image.config().cmd());
        assertEquals(TestImages.ENV, image.config().env());
        assertEquals(MediaTypes.OCI_LAYER_GZIP, image.layers().get(0).mediaType());
        assertEquals(Digest.of(TestImages.rootfsTar()), image.layers().get(0).diffId());
        assertEquals(List.of(Digest.of(TestImages.rootfsTar())), image.chainIds());
        try (InputStream in = store.openLayer(image.layers().get(0))) {
            assertArrayEquals(TestImages.rootfsTar(), in.readAllBytes());
        }
        Path tagOnly = Files.createDirectories(work.resolve("tag-only"));
        InvalidImageException e = assertThrows(InvalidImageException.class,
            () -> store.importArchive(TestImages.ociLayout(tagOnly, "latest"), null, null));
        assertTrue(e.getMessage().endsWith("give a REF"), e.getMessage());
        Image named = store.importArchive(tagOnly.resolve("busybox-oci.tar"), "registry.local:5000/bb:1", null).get(0);
        assertEquals(image.manifestDigest(), named.manifestDigest());
        assertEquals(List.of("docker.io/library/busybox:oci", "registry.local:5000/bb:1"), named.references());
    }

    @Test
    void importsADockerArchive() throws Exception {
        ImageStore store = store();
        Image image = store.importArchive(TestImages.dockerArchive(work, "busybox:docker"), null, null).get(0);
        assertEquals(List.of("docker.io/library/busybox:docker"), image.references());
        assertEquals(TestImages.CMD, image.config().cmd());
        assertEquals(Digest.of(TestImages.config(TestImages.sha256(TestImages.rootfsTar()))), image.id());
        assertEquals(MediaTypes.OCI_LAYER, image.layers().get(0).mediaType());
        assertEquals(Digest.of(TestImages.rootfsTar()), image.layers().get(0).digest());
        Image oci = store.importArchive(TestImages.ociLayout(work, "busybox:oci"), null, null).get(0);
        assertEquals(oci.id(), image.id(), "the same config, so the same image id");
        assertEquals(oci.chainIds(), image.chainIds());
        assertEquals(2, store.listImages().size(), "two manifests (gzip and plain layer)");
    }

    @Test
    void reimportingChangesNothingButTags() throws Exception {
        ImageStore store = store();
        Path archive = TestImages.dockerArchive(work, "busybox:docker");
        Image first = store.importArchive(archive, null, null).get(0);
        byte[] index = Files.readAllBytes(store.root().resolve("index.json"));
        List<Path> blobs = blobs();
        Image again = store.importArchive(archive, null, null).get(0);
        assertEquals(first, again);
        assertArrayEquals(index, Files.readAllBytes(store.root().resolve("index.json")));
        assertEquals(blobs, blobs());
        Image tagged = store.importArchive(archive, "busybox:other", null).get(0);
        assertEquals(first.manifestDigest(), tagged.manifestDigest());
        assertEquals(List.of("docker.io/library/busybox:docker", "docker.io/library/busybox:other"), tagged.references());
        assertEquals(blobs, blobs());
        assertTmpEmpty();
    }

    @Test
    void concurrentImportsOfTheSameImageFromTwoStoresAgree() throws Exception {
        Path archive = TestImages.dockerArchive(work, "busybox:docker");
        Path rootfs = TestImages.rootfsTarball(work, true);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Image> one = () -> {
                ImageStore s = store();
                start.await();
                s.importArchive(rootfs, "gz:1", null);
                return s.importArchive(archive, null, null).get(0);
            };
            Future<Image> a = pool.submit(one);
            Future<Image> b = pool.submit(one);
            assertEquals(a.get(), b.get());
        } finally {
            pool.shutdownNow();
        }
        ImageStore fresh = store();
        assertEquals(2, fresh.listImages().size());
        assertEquals(6, blobs().size(), "a layer, a config and a manifest for each image, each once");
        assertTmpEmpty();
    }

    @Test
    void anImportWaitsForTheWritersLock() throws Exception {
        ImageStore store = store();
        Path archive = TestImages.dockerArchive(work, "busybox:locked");
        StoreLock other = new StoreLock(store.root().resolve("lock"));
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread importer;
        try (StoreLock.Held held = other.acquire()) {
            importer = new Thread(() -> {
                try {
                    store.importArchive(archive, null, null);
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            importer.start();
            // The import verifies its archive without the lock, then parks on it.
            while (importer.getState() != Thread.State.WAITING) {
                assertTrue(importer.isAlive(), "the import ended while the lock was held: " + failed.get());
                Thread.sleep(10);
            }
            assertTrue(store.listImages().isEmpty());
            assertEquals(List.of(), blobs());
        }
        importer.join();
        assertEquals(null, failed.get());
        assertTrue(store.imageStatus("busybox:locked").isPresent());
    }

    @Test
    void anotherStoreSeesImportsAndRemovalsOnItsNextQuery() throws Exception {
        ImageStore server = store();
        assertTrue(server.listImages().isEmpty());
        ImageStore cli = store();
        cli.importArchive(TestImages.rootfsTarball(work, false), "busybox", null);
        assertTrue(server.imageStatus("busybox").isPresent());
        cli.remove("busybox");
        assertTrue(server.imageStatus("busybox").isEmpty());
        assertTrue(server.listImages().isEmpty());
    }

    @Test
    void removeUntagsThenDeletesTheImageAndTheBlobsNoOneNeeds() throws Exception {
        ImageStore store = store();
        Image a = store.importArchive(TestImages.rootfsTarball(work, false), "a:1", null).get(0);
        store.importArchive(TestImages.rootfsTarball(work, false), "a:2", null);
        Image b = store.importArchive(TestImages.dockerArchive(work, "b:1"), null, null).get(0);
        assertEquals(a.layers().get(0).digest(), b.layers().get(0).digest(), "both use the plain busybox tar");
        assertEquals(5, blobs().size());

        ImageStore.Removal untag = store.remove("a:1");
        assertEquals(List.of("docker.io/library/a:1"), untag.untagged());
        assertTrue(untag.deleted().isEmpty());
        assertEquals(5, blobs().size());

        ImageStore.Removal delete = store.remove("docker.io/library/a:2");
        assertEquals(a.id(), delete.deleted().orElseThrow());
        assertFalse(Files.exists(blobPath(a.id())));
        assertFalse(Files.exists(blobPath(a.manifestDigest())));
        assertTrue(Files.exists(blobPath(a.layers().get(0).digest())), "b still needs the layer");
        assertEquals(3, blobs().size());

        assertThrows(NoSuchImageException.class, () -> store.remove("a:2"));
        store.remove(b.id().shortHex());
        assertEquals(List.of(), blobs());
        assertTrue(store.listImages().isEmpty());
    }

    @Test
    void refusesToDeleteAnImageAContainerUses() throws Exception {
        ImageStore store = store();
        Image image = store.importArchive(TestImages.rootfsTarball(work, false), "busybox:1", null).get(0);
        store.importArchive(TestImages.rootfsTarball(work, false), "busybox:2", null);
        Path container = Files.createDirectories(data.resolve("runtime/containers/capstan-c1"));
        Files.writeString(container.resolve("image-id"), image.id() + "\n");
        store.remove("busybox:1");
        ImageInUseException e = assertThrows(ImageInUseException.class, () -> store.remove("busybox:2"));
        assertEquals("image busybox:2 (" + image.id().shortHex() + ") is in use by container capstan-c1", e.getMessage());
        assertTrue(store.imageStatus("busybox:2").isPresent());

        // A tag moved away leaves the used image dangling, still found by id.
        Image other = store.importArchive(TestImages.ociLayout(work, null), "busybox:2", null).get(0);
        assertEquals(other.manifestDigest(), store.find("busybox:2").orElseThrow().manifestDigest());
        Image dangling = store.find(image.id().toString()).orElseThrow();
        assertEquals(List.of(), dangling.references());
        assertEquals(2, store.images().size());
        assertEquals("image " + image.id().shortHex() + " is in use by container capstan-c1",
            assertThrows(ImageInUseException.class, () -> store.remove(image.id().toString())).getMessage());

        Files.delete(container.resolve("image-id"));
        ImageStore.Removal r = store.remove(image.id().toString());
        assertEquals(image.id(), r.deleted().orElseThrow());
        assertEquals(List.of(other), store.images());
    }

    @Test
    void badInputIsRefusedWithOneMessageAndLeavesNothingBehind() throws Exception {
        ImageStore store = store();
        byte[] tar = TestImages.rootfsTar();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(write("text.tar", "this is not a tar archive\n".repeat(100).getBytes()), "is not a tar archive");
        cases.put(write("short.tar", "hello".getBytes()), "is not a tar archive");
        cases.put(write("empty.tar", new byte[0]), "is empty");
        cases.put(write("zeros.tar", new byte[10240]), "is an empty tar archive (no files)");
        cases.put(write("truncated.tar", java.util.Arrays.copyOf(tar, tar.length / 2)), "is truncated");
        byte[] gz = TestImages.gzip(tar);
        cases.put(write("truncated.tar.gz", java.util.Arrays.copyOf(gz, gz.length / 2)), "is truncated");
        cases.put(write("bad.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), "gzip");
        cases.put(write("zstd.tar", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0}), "zstd-compressed");

        Path oci = TestImages.ociLayout(Files.createDirectories(work.resolve("oci")), "busybox:oci");
        String layerHex = TestImages.sha256(TestImages.gzip(tar));
        cases.put(rewrite(oci, "missing-blob.tar", "blobs/sha256/" + layerHex, null),
            "layer blobs/sha256/" + layerHex + " is missing from the archive");
        cases.put(rewrite(oci, "mismatch.tar", "blobs/sha256/" + layerHex, TestImages.gzip(new byte[1024])),
            "digest mismatch: blobs/sha256/" + layerHex + " has digest sha256:");
        cases.put(rewrite(oci, "bad-index.tar", "index.json", "{".getBytes()), "index.json is not valid JSON");

        Path docker = TestImages.dockerArchive(Files.createDirectories(work.resolve("docker")), "busybox:docker");
        String layer = TestImages.sha256(tar) + "/layer.tar";
        byte[] otherTar = java.util.Arrays.copyOf(tar, tar.length);
        otherTar[600] ^= 1;
        cases.put(rewrite(docker, "diffid.tar", layer, otherTar), "digest mismatch: layer sha256:");
        cases.put(rewrite(docker, "no-layer.tar", layer, null), "layer " + layer + " is missing from the archive");
        cases.put(rewrite(docker, "zstd-layer.tar", layer, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2}),
            "is zstd-compressed, which capstan does not support");

        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = work.resolve(c.getKey());
            InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> store.importArchive(file, "busybox:bad", null), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(store.listImages().isEmpty(), c.getKey());
            assertEquals(List.of(), blobs(), c.getKey());
            assertTmpEmpty();
        }
        assertThrows(InvalidImageException.class, () -> store.importArchive(TestImages.rootfsTarball(work, false), null, null));
        assertThrows(IllegalArgumentException.class, () -> store.importArchive(oci, "Busybox", null));
        assertThrows(IllegalArgumentException.class, () -> store.importArchive(oci, null,
            new ImportOptions(List.of("/bin/sh"), null, null, null)));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> store.importArchive(work.resolve("nope.tar"), "x", null));
        assertEquals(List.of(), blobs());
    }

    @Test
    void writesRemoveScratchDirectoriesOfImportsThatDiedLongAgo() throws Exception {
        ImageStore store = store();
        Path old = Files.createDirectories(data.resolve("images/tmp/import-123/sub"));
        Files.writeString(old.resolve("f0"), "partial");
        Files.setLastModifiedTime(old.getParent(), java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(java.time.Duration.ofDays(2))));
        Path recent = Files.createDirectories(data.resolve("images/tmp/import-456"));
        store.importArchive(TestImages.rootfsTarball(work, false), "busybox", null);
        assertFalse(Files.exists(old.getParent()));
        assertTrue(Files.exists(recent), "an import in progress elsewhere keeps its files");
    }

    @Test
    void openLayerRefusesZstd() throws Exception {
        ImageStore store = store();
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0};
        Digest d = Digest.of(zstd);
        Files.write(store.root().resolve("blobs/sha256/" + d.hex()), zstd);
        InvalidImageException e = assertThrows(InvalidImageException.class,
            () -> store.openLayer(new Layer(d, d, "application/vnd.oci.image.layer.v1.tar+zstd", zstd.length)));
        assertEquals("layer " + d + " is zstd-compressed, which capstan does not support (use gzip or an uncompressed tar)",
            e.getMessage());
    }

    private String write(String name, byte[] content) throws IOException {
        Files.write(work.resolve(name), content);
        return name;
    }

    /** A copy of a tar with one entry replaced (or dropped when {@code content} is null). */
    private String rewrite(Path tar, String name, String entry, byte[] content) throws IOException {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        if (content == null) {
            files.remove(entry);
        } else {
            files.put(entry, content);
        }
        TestImages.writeTar(work.resolve(name), files);
        return name;
    }

    private Path blobPath(Digest d) {
        return data.resolve("images/blobs/sha256/" + d.hex());
    }

    private List<Path> blobs() throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("images/blobs/sha256"))) {
            return s.sorted().toList();
        }
    }

    private void assertTmpEmpty() throws IOException {
        Path tmp = data.resolve("images/tmp");
        if (Files.exists(tmp)) {
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(List.of(), s.toList());
            }
        }
    }
}
