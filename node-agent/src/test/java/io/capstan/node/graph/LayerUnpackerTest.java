package io.capstan.node.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.graph.LayerUnpacker.Whiteouts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer unpacking: every entry type and metadata, and every way out of the layer root refused. */
class LayerUnpackerTest {

    @TempDir
    Path base;
    Path root;
    Path outside;
    Map<String, String> outsideBefore;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(base.resolve("root"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        outsideBefore = Views.of(outside);
    }

    private long unpack(TarBuilder tar, Whiteouts mode) throws IOException {
        return LayerUnpacker.unpack(tar.stream(), root, mode);
    }

    private void assertOutsideUntouched() throws IOException {
        assertEquals(outsideBefore, Views.of(outside));
        assertEquals(1, (Integer) Files.getAttribute(outside.resolve("secret"), "unix:nlink"));
        assertEquals(Arrays.asList("outside", "root"), GraphDriverContract.list(base).stream().map(p -> p.getFileName().toString()).sorted().toList());
    }

    private void assertInvalid(TarBuilder tar) throws IOException {
        GraphException e = assertThrows(GraphException.class, () -> unpack(tar, Whiteouts.OVERLAY));
        assertEquals(GraphException.Reason.INVALID_LAYER, e.reason());
        assertOutsideUntouched();
    }

    @Test
    void unpacksEveryEntryTypeWithItsMetadata() throws IOException {
        String longName = "deep/" + "d".repeat(120) + "/" + "n".repeat(200) + "-ünïcødé";
        long bytes = unpack(new TarBuilder()
                .dir("usr", 0755, 0, 0)
                .dir("tmp", 01777, 0, 0)
                .file("usr/su", "elf", 04755, 0, 0)
                .file("usr/sg", "elf", 02711, 0, 0)
                .file("home/u/owned", "x", 0600, 1000, 1001)
                .symlink("usr/link", "su", 1000, 1001)
                .hardlink("usr/hard", "usr/su")
                .device("dev/null", TarConstants.LF_CHR, 1, 3)
                .device("dev/loop0", TarConstants.LF_BLK, 7, 0)
                .device("dev/fifo", TarConstants.LF_FIFO, 0, 0)
                .file(longName, "long"), Whiteouts.OVERLAY);

        Map<String, String> v = Views.of(root);
        assertEquals("dir 1777 0:0", v.get("tmp"));
        assertEquals("file 4755 0:0 elf", v.get("usr/su"));
        assertEquals("file 2711 0:0 elf", v.get("usr/sg"));
        assertEquals("file 600 1000:1001 x", v.get("home/u/owned"));
        assertEquals("dir 755 0:0", v.get("home"), "implicit parents are 0755");
        assertEquals("link -> su", v.get("usr/link"));
        assertEquals(1000, Files.getAttribute(root.resolve("usr/link"), "unix:uid", LinkOption.NOFOLLOW_LINKS),
                "a symlink's own owner (lchown), not its target's");
        assertEquals(0, Files.getAttribute(root.resolve("usr/su"), "unix:uid"));
        assertEquals("chr 666 0:0 1/3", v.get("dev/null"));
        assertEquals("blk 666 0:0 7/0", v.get("dev/loop0"));
        assertEquals("fifo 666 0:0", v.get("dev/fifo"));
        assertEquals("file 644 0:0 long", v.get(longName));
        assertEquals(Files.getAttribute(root.resolve("usr/su"), "unix:ino"),
                Files.getAttribute(root.resolve("usr/hard"), "unix:ino"));
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(root.resolve("usr/su")).toInstant());
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(root.resolve("usr")).toInstant(),
                "directory mtimes survive their children");
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(root.resolve("usr/link"), LinkOption.NOFOLLOW_LINKS).toInstant());
        assertEquals(3 + 3 + 1 + 4, bytes);
    }

    @Test
    void overlayWhiteoutsBecomeDevicesAndXattrs() throws IOException {
        unpack(new TarBuilder().dir("a").whiteout("a/gone").opaque("b").file("b/kept", "k"), Whiteouts.OVERLAY);
        assertEquals("chr 0 0:0 0/0", Views.describe(root.resolve("a/gone")));
        assertEquals("dir 755 0:0 opaque", Views.describe(root.resolve("b")));
        assertTrue(Files.exists(root.resolve("b/kept")));
        assertFalse(Files.exists(root.resolve("b/.wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void deleteWhiteoutsRemoveParentContent() throws IOException {
        unpack(new TarBuilder().file("a/gone", "g").file("a/stays", "s").file("b/old/x", "o").file("b/old2", "o"),
                Whiteouts.DELETE);
        unpack(new TarBuilder().whiteout("a/gone").whiteout("nothere/x").file("b/new", "n").opaque("b")
                .file("b/old/y", "y"), Whiteouts.DELETE);
        Map<String, String> v = Views.of(root);
        assertFalse(v.containsKey("a/gone"));
        assertTrue(v.containsKey("a/stays"));
        assertEquals(Map.of("b/new", "file 644 0:0 n", "b/old", "dir 755 0:0", "b/old/y", "file 644 0:0 y"),
                Map.of("b/new", v.get("b/new"), "b/old", v.get("b/old"), "b/old/y", v.get("b/old/y")));
        assertFalse(v.containsKey("b/old/x"), "an opaque dir hides everything of the parents below it");
        assertFalse(v.containsKey("b/old2"));
        assertFalse(v.containsKey("nothere"));
    }

    @Test
    void dotDotIsRefused() throws IOException {
        assertInvalid(new TarBuilder().file("../escaped", "x"));
        assertInvalid(new TarBuilder().file("a/../../escaped", "x"));
        assertInvalid(new TarBuilder().dir("a").file("a/../../outside/secret", "x"));
        assertInvalid(new TarBuilder().whiteout("../outside/secret"));
        assertInvalid(new TarBuilder().file(".wh..", ""));
    }

    @Test
    void absoluteNamesStayInside() throws IOException {
        unpack(new TarBuilder().file(outside.resolve("abs").toString(), "x").file("/etc/abs", "y"), Whiteouts.OVERLAY);
        assertTrue(Files.exists(root.resolve(outside.toString().substring(1)).resolve("abs")));
        assertTrue(Files.exists(root.resolve("etc/abs")));
        assertOutsideUntouched();
    }

    @Test
    void writesThroughSymlinksStayInside() throws IOException {
        unpack(new TarBuilder()
                .symlink("abs", outside.toString())
                .file("abs/secret", "overwritten")
                .file("abs/new", "x")
                .symlink("up", "../../../../..")
                .file("up/escaped", "x")
                .symlink("a", "b")
                .symlink("b", "../" + outside.getFileName())
                .file("a/chained", "x"), Whiteouts.OVERLAY);
        assertOutsideUntouched();
        assertEquals("overwritten", Files.readString(root.resolve(outside.toString().substring(1)).resolve("secret")));
        assertTrue(Files.exists(root.resolve("escaped")), "'..' in a symlink stops at the layer root");
        assertTrue(Files.exists(root.resolve("outside/chained")));
    }

    @Test
    void entriesReplaceSymlinksInsteadOfFollowingThem() throws IOException {
        unpack(new TarBuilder()
                .symlink("s", outside.resolve("secret").toString())
                .file("s", "replaced")
                .symlink("d", outside.toString())
                .dir("d"), Whiteouts.OVERLAY);
        assertOutsideUntouched();
        assertEquals("file 644 0:0 replaced", Views.describe(root.resolve("s")));
        assertEquals("dir 755 0:0", Views.describe(root.resolve("d")));
    }

    @Test
    void hardLinksCannotReachOutside() throws IOException {
        assertInvalid(new TarBuilder().hardlink("h", "../outside/secret"));
        assertInvalid(new TarBuilder().hardlink("h", outside.resolve("secret").toString()));
        assertInvalid(new TarBuilder().symlink("l", outside.toString()).hardlink("h", "l/secret"));
        assertInvalid(new TarBuilder().dir("d").hardlink("h", "d"));
    }

    @Test
    void symlinkLoopsAreRefused() throws IOException {
        assertInvalid(new TarBuilder().symlink("x", "x").file("x/file", "f"));
    }

    @Test
    void symlinksFromParentLayersAreResolvedInside() throws IOException {
        // What a vfs layer sees: the parent's files, including a hostile symlink, are already there.
        Files.createSymbolicLink(root.resolve("etc"), outside);
        unpack(new TarBuilder().file("etc/secret", "changed").whiteout("etc/secret2"), Whiteouts.DELETE);
        unpack(new TarBuilder().whiteout("etc/secret"), Whiteouts.DELETE);
        assertOutsideUntouched();
        assertEquals("link -> " + outside, Views.describe(root.resolve("etc")));
    }

    @Test
    void corruptOrTruncatedTarsAreInvalid() throws IOException {
        byte[] tar = new TarBuilder().file("big", "x".repeat(10000)).file("next", "n").bytes();
        GraphException e = assertThrows(GraphException.class,
                () -> LayerUnpacker.unpack(new ByteArrayInputStream(Arrays.copyOf(tar, 3000)), root, Whiteouts.OVERLAY));
        assertEquals(GraphException.Reason.INVALID_LAYER, e.reason());
        byte[] garbage = new byte[2048];
        Arrays.fill(garbage, (byte) 'g');
        e = assertThrows(GraphException.class,
                () -> LayerUnpacker.unpack(new ByteArrayInputStream(garbage), root, Whiteouts.OVERLAY));
        assertEquals(GraphException.Reason.INVALID_LAYER, e.reason());
    }
}
