package io.capstan.node.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import io.capstan.node.sys.SysException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every graph driver must have; subclasses name the driver. */
abstract class GraphDriverContract {

    static final String BASE = "sha256:base";
    static final String TOP = "sha256:top";

    @TempDir
    Path dataDir;
    GraphDriver driver;

    abstract String driverName();

    @BeforeEach
    void open() throws IOException {
        driver = GraphDrivers.open(driverName(), dataDir);
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (String c : driver.containers()) {
            driver.release(c);
        }
        driver.close();
        assertEquals(List.of(), MountTable.under(dataDir), "no mount left under the data dir");
    }

    /** base: bin/sh, etc/passwd, a/{x,y}, b/z, c/keep; top: changes etc/passwd, adds a/new. */
    void applyImage() throws IOException {
        driver.applyLayer(BASE, null, new TarBuilder()
                .dir("bin").file("bin/sh", "shell", 0755, 0, 0)
                .dir("etc").file("etc/passwd", "root:x:0:0")
                .dir("a").file("a/x", "x").file("a/y", "y")
                .dir("b").file("b/z", "z")
                .dir("c").file("c/keep", "keep").stream());
        driver.applyLayer(TOP, BASE, new TarBuilder()
                .file("etc/passwd", "root:x:0:0\nuser:x:1000:1000")
                .file("a/new", "new").stream());
    }

    static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void layersStack() throws IOException {
        applyImage();
        assertEquals(Set.of(new Layer(BASE, null, 5 + 10 + 1 + 1 + 1 + 4), new Layer(TOP, BASE, 27 + 3)),
                Set.copyOf(driver.layers()));
        Path rootfs = driver.prepare("c1", TOP, false);
        Map<String, String> v = Views.of(rootfs);
        assertEquals("file 755 0:0 shell", v.get("bin/sh"));
        assertEquals("file 644 0:0 root:x:0:0\nuser:x:1000:1000", v.get("etc/passwd"));
        assertEquals(Set.of("a", "a/new", "a/x", "a/y", "b", "b/z", "bin", "bin/sh", "c", "c/keep", "etc", "etc/passwd"),
                v.keySet());
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesHideParentContent() throws IOException {
        applyImage();
        driver.applyLayer("sha256:del", TOP, new TarBuilder()
                .whiteout("a/x").whiteout("a/new").whiteout("c")
                .opaque("b").file("b/fresh", "fresh")
                .whiteout("a/never-existed").whiteout("never/existed").dir("new").whiteout("new/ghost").stream());
        Map<String, String> v = Views.of(driver.prepare("c1", "sha256:del", false));
        assertEquals(Set.of("a", "a/y", "b", "b/fresh", "bin", "bin/sh", "etc", "etc/passwd", "new"), v.keySet(),
                "whiteouts of things no parent layer has do not show");
    }

    @Test
    void containersDoNotSeeEachOthersWritesAndLayersStayUnchanged() throws IOException {
        applyImage();
        Map<String, String> image = Views.of(driver.prepare("pristine", TOP, true));
        Path c1 = driver.prepare("c1", TOP, false);
        Path c2 = driver.prepare("c2", TOP, false);
        assertNotEquals(c1, c2);
        Files.writeString(c1.resolve("etc/passwd"), "changed");
        Files.writeString(c1.resolve("a/written"), "w");
        Files.delete(c1.resolve("a/x"));
        Files.setAttribute(c1.resolve("bin/sh"), "unix:mode", 0700);
        Files.createDirectory(c2.resolve("only-c2"));

        assertEquals(image, Views.of(driver.prepare("pristine", TOP, true)));
        Map<String, String> v2 = Views.of(c2);
        assertFalse(v2.containsKey("a/written"));
        assertTrue(v2.containsKey("a/x"));
        assertEquals(image.get("etc/passwd"), v2.get("etc/passwd"));
        assertEquals(image.get("bin/sh"), v2.get("bin/sh"));
        assertFalse(Views.of(c1).containsKey("only-c2"));
        driver.release("c1");
        driver.release("c2");
        assertEquals(image, Views.of(driver.prepare("c3", TOP, false)), "a new container sees the image as it was");
    }

    @Test
    void readOnlyRootFilesystemRefusesWrites() throws IOException {
        applyImage();
        Path rootfs = driver.prepare("ro", TOP, true);
        assertEquals("new", Files.readString(rootfs.resolve("a/new")));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Files.writeString(rootfs.resolve("a/new"), "no"));
        assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
        assertThrows(FileSystemException.class, () -> Files.createFile(rootfs.resolve("created")));
        assertThrows(FileSystemException.class, () -> Files.delete(rootfs.resolve("a/x")));
        assertEquals(0, driver.usage("ro"));
    }

    @Test
    void commitProducesALayerThatReproducesTheContainer() throws IOException {
        applyImage();
        Path rootfs = driver.prepare("c1", TOP, false);
        Files.writeString(rootfs.resolve("etc/passwd"), "rewritten");
        Files.delete(rootfs.resolve("a/x"));
        Files.delete(rootfs.resolve("b/z"));
        Files.delete(rootfs.resolve("b"));
        Files.createDirectories(rootfs.resolve("b/again"));
        Files.delete(rootfs.resolve("c/keep"));
        Files.delete(rootfs.resolve("c"));
        Files.createSymbolicLink(rootfs.resolve("lnk"), Path.of("/etc/passwd"));
        Files.writeString(rootfs.resolve("setuid"), "s");
        Files.setAttribute(rootfs.resolve("setuid"), "unix:mode", 04750);
        Files.setAttribute(rootfs.resolve("a/y"), "unix:uid", 33);
        Map<String, String> expected = Views.of(rootfs);

        Layer committed = driver.commit("c1", "sha256:committed");
        assertEquals(TOP, committed.parent());
        assertEquals(committed, driver.commit("c1", "sha256:committed"), "commit is idempotent");
        assertEquals(expected, Views.of(rootfs), "the container is unchanged");
        driver.release("c1");
        assertEquals(expected, Views.of(driver.prepare("c2", "sha256:committed", true)));
        assertEquals(expected, Views.of(driver.prepare("c3", "sha256:committed", false)));
    }

    @Test
    void releaseLeavesNoMountAndNoFiles() throws IOException {
        applyImage();
        Path rw = driver.prepare("rw", TOP, false);
        Path ro = driver.prepare("ro", TOP, true);
        Files.writeString(rw.resolve("data"), "d");
        assertTrue(driver.mounts().containsKey("ro"));
        try (InputStream busyRw = Files.newInputStream(rw.resolve("data"));
             InputStream busyRo = Files.newInputStream(ro.resolve("a/new"))) {
            SysException busy = assertThrows(SysException.class, () -> Sys.umount(ro, 0));
            assertEquals(Sys.EBUSY, busy.errno(), "a plain unmount would fail");
            driver.release("rw"); // busy: falls back to a lazy unmount
            driver.release("ro");
            assertEquals("d", new String(busyRw.readAllBytes(), StandardCharsets.UTF_8));
        }
        driver.release("rw");
        assertEquals(List.of(), driver.containers());
        assertEquals(Map.of(), driver.mounts());
        assertEquals(List.of(driver.root()), MountTable.under(dataDir).stream().map(MountTable.Mount::mountPoint).toList(),
                "only the driver's own private bind mount is left");
        assertFalse(Files.exists(rw));
        assertEquals(List.of(), list(driver.root().resolve("containers")));
        assertEquals(List.of(), list(driver.root().resolve("tmp")));
    }

    @Test
    void layersInUseCannotBeRemoved() throws IOException {
        applyImage();
        driver.prepare("c1", TOP, false);
        GraphException parent = assertThrows(GraphException.class, () -> driver.removeLayer(BASE));
        assertEquals(GraphException.Reason.LAYER_IN_USE, parent.reason());
        assertTrue(parent.getMessage().contains("parent of layer " + TOP), parent.getMessage());
        GraphException used = assertThrows(GraphException.class, () -> driver.removeLayer(TOP));
        assertEquals(GraphException.Reason.LAYER_IN_USE, used.reason());
        assertTrue(used.getMessage().contains("container c1"), used.getMessage());

        driver.release("c1");
        driver.removeLayer(TOP);
        driver.removeLayer(BASE);
        driver.removeLayer(BASE);
        assertFalse(driver.hasLayer(BASE));
        assertEquals(List.of(), driver.layers());
        assertEquals(List.of(), list(driver.root().resolve("layers")));
    }

    @Test
    void concurrentApplyOfOneLayerLeavesOneGoodCopy() throws Exception {
        byte[] tar = new TarBuilder().file("big", "b".repeat(200_000)).file("small", "s").bytes();
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Layer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Layer> apply = () -> {
                    start.await();
                    return driver.applyLayer(BASE, null, new ByteArrayInputStream(tar));
                };
                results.add(pool.submit(apply));
            }
            start.countDown();
            for (Future<Layer> f : results) {
                assertEquals(new Layer(BASE, null, 200_001), f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, driver.layers().size());
        assertEquals(List.of(), list(driver.root().resolve("tmp")));
        if (Files.isDirectory(driver.root().resolve("l"))) {
            assertEquals(1, list(driver.root().resolve("l")).size(), "the losers' overlay links are gone");
        }
        Map<String, String> v = Views.of(driver.prepare("c", BASE, true));
        assertEquals(Set.of("big", "small"), v.keySet());
        assertEquals("file 644 0:0 ".length() + 200_000, v.get("big").length());
    }

    @Test
    void containersComeAndGoConcurrently() throws Exception {
        applyImage();
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        String id = "c-" + thread + "-" + i;
                        Path rootfs = driver.prepare(id, TOP, i % 2 == 0);
                        if (i % 2 != 0) {
                            Files.writeString(rootfs.resolve("owner"), id);
                            assertEquals(id, Files.readString(rootfs.resolve("owner")));
                        }
                        assertEquals("new", Files.readString(rootfs.resolve("a/new")));
                        driver.release(id);
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    driver.applyLayer("sha256:extra" + i, TOP, new TarBuilder().file("extra", "" + i).stream());
                    driver.removeLayer("sha256:extra" + i);
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), driver.containers());
        assertEquals(Map.of(), driver.mounts());
        assertEquals(2, driver.layers().size());
        assertEquals(List.of(), list(driver.root().resolve("tmp")));
    }

    @Test
    void applyIsIdempotentAndChecksParents() throws IOException {
        applyImage();
        InputStream unread = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("an existing layer is not read again");
            }
        };
        assertEquals(TOP, driver.applyLayer(TOP, BASE, unread).id());
        assertEquals(GraphException.Reason.CONFLICT,
                assertThrows(GraphException.class, () -> driver.applyLayer(TOP, null, unread)).reason());
        assertEquals(GraphException.Reason.NO_SUCH_LAYER, assertThrows(GraphException.class,
                () -> driver.applyLayer("sha256:orphan", "sha256:missing", new TarBuilder().stream())).reason());
        assertEquals(GraphException.Reason.INVALID_ID,
                assertThrows(GraphException.class, () -> driver.applyLayer("", null, unread)).reason());
    }

    @Test
    void badTarsLeaveNothingBehind() throws IOException {
        byte[] good = new TarBuilder().file("a", "a".repeat(5000)).file("b", "b").bytes();
        GraphException truncated = assertThrows(GraphException.class,
                () -> driver.applyLayer(BASE, null, new ByteArrayInputStream(Arrays.copyOf(good, 2000))));
        assertEquals(GraphException.Reason.INVALID_LAYER, truncated.reason());
        GraphException escape = assertThrows(GraphException.class,
                () -> driver.applyLayer(BASE, null, new TarBuilder().file("ok", "ok").file("../../escape", "x").stream()));
        assertEquals(GraphException.Reason.INVALID_LAYER, escape.reason());
        assertTrue(escape.getMessage().contains("'..'"), escape.getMessage());
        assertFalse(driver.hasLayer(BASE));
        assertEquals(List.of(), driver.layers());
        assertEquals(List.of(), list(driver.root().resolve("tmp")));
        try (var files = Files.walk(dataDir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("escape")));
        }
    }

    @Test
    void prepareIsIdempotentAndSurvivesARestart() throws IOException {
        applyImage();
        Path rootfs = driver.prepare("c1", TOP, false);
        Files.writeString(rootfs.resolve("kept"), "k");
        assertEquals(rootfs, driver.prepare("c1", TOP, false));
        assertEquals(GraphException.Reason.CONFLICT,
                assertThrows(GraphException.class, () -> driver.prepare("c1", TOP, true)).reason());
        driver.close();

        driver = GraphDrivers.open(driverName(), dataDir);
        assertEquals(List.of("c1"), driver.containers());
        assertEquals(2, driver.layers().size());
        assertEquals("k", Files.readString(driver.prepare("c1", TOP, false).resolve("kept")));
        assertEquals(1, driver.usage("c1"));

        for (Path mount : driver.mounts().values()) {
            Sys.umount(mount, 0); // as after a reboot: the records are there, the mounts are not
        }
        assertEquals("k", Files.readString(driver.prepare("c1", TOP, false).resolve("kept")));
    }

    @Test
    void newLayerStreamsAreReadToTheirEnd() throws IOException {
        byte[] tar = new TarBuilder().file("f", "f").bytes();
        byte[] padded = Arrays.copyOf(tar, tar.length + (1 << 20)); // zeros after the end-of-archive marker
        ByteArrayInputStream in = new ByteArrayInputStream(padded);
        driver.applyLayer(BASE, null, in);
        assertEquals(0, in.available());
    }

    @Test
    void usageCountsWhatTheContainerWrote() throws IOException {
        applyImage();
        Path rootfs = driver.prepare("c1", TOP, false);
        assertEquals(0, driver.usage("c1"));
        try (OutputStream out = Files.newOutputStream(rootfs.resolve("blob"))) {
            out.write(new byte[12345]);
        }
        assertEquals(12345, driver.usage("c1"));
        assertEquals(GraphException.Reason.NO_SUCH_CONTAINER,
                assertThrows(GraphException.class, () -> driver.usage("nope")).reason());
    }

    @Test
    void emptyRootFilesystemAndOpaqueIds() throws IOException {
        String id = "k8s_app_default/pod:1 ünï";
        Path rootfs = driver.prepare(id, null, false);
        Files.writeString(rootfs.resolve("f"), "f");
        assertEquals(List.of(id), driver.containers());
        Layer l = driver.commit(id, "sha256:from-scratch");
        assertEquals(null, l.parent());
        assertEquals(Set.of("f"), Views.of(driver.prepare("c2", l.id(), true)).keySet());
    }

    @Test
    void busyboxRunsInARootFilesystem() throws Exception {
        driver.applyLayer(BASE, null, new TarBuilder().busybox().stream());
        driver.applyLayer(TOP, BASE, new TarBuilder().file("etc/hostname", "capstan-test\n").stream());
        Path rootfs = driver.prepare("c1", TOP, false);
        Process p = new ProcessBuilder("chroot", rootfs.toString(), "/bin/sh", "-c",
                "echo hello > /tmp/out && cat /etc/hostname && ls /usr/bin/env")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("capstan-test\n/usr/bin/env\n", out);
        assertEquals("hello\n", Files.readString(rootfs.resolve("tmp/out")));
    }
}
