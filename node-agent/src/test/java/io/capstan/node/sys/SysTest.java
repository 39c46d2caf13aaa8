package io.capstan.node.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libc surface against the real kernel (the tests run as root). */
class SysTest {

    @TempDir
    Path dir;

    @Test
    void mountsAndUnmountsATmpfsSeenInMountinfo() throws IOException {
        Path target = Files.createDirectory(dir.resolve("capstan mnt"));
        Sys.mount("capstan-test", target, "tmpfs", Sys.MS_NOSUID | Sys.MS_NODEV, "size=1m");
        try {
            MountTable.Mount m = MountTable.under(dir).get(0);
            assertEquals(target, m.mountPoint(), "octal escapes (\\040) are decoded");
            assertEquals("tmpfs", m.fsType());
            assertEquals("capstan-test", m.source());
            assertTrue(MountTable.isMountPoint(target));
            assertFalse(MountTable.isSelfBind(target), "a tmpfs is not a bind of the directory below");
        } finally {
            Sys.umount(target, 0);
        }
        assertFalse(MountTable.isMountPoint(target));
    }

    @Test
    void recognisesABindOfADirectoryOntoItself() throws IOException {
        Path target = Files.createDirectory(dir.resolve("capstan-bind"));
        Sys.mount(target.toString(), target, null, Sys.MS_BIND, null);
        try {
            assertTrue(MountTable.isSelfBind(target));
            assertFalse(MountTable.isSelfBind(dir));
        } finally {
            Sys.umount(target, 0);
        }
    }

    @Test
    void failuresNameTheCallThePathAndTheErrno() throws IOException {
        SysException e = assertThrows(SysException.class, () -> Sys.umount(dir, 0));
        assertEquals("umount2(" + dir + "): Invalid argument (errno 22)", e.getMessage());
        assertEquals(Sys.EINVAL, e.errno());
        assertEquals("umount2", e.call());
        assertEquals(dir.toString(), e.path());

        SysException m = assertThrows(SysException.class,
                () -> Sys.mount("none", dir.resolve("missing"), "tmpfs", 0, null));
        assertTrue(m.getMessage().startsWith("mount(" + dir.resolve("missing") + ", type tmpfs"), m.getMessage());
        assertTrue(m.getMessage().endsWith("No such file or directory (errno 2)"), m.getMessage());
    }

    @Test
    void mknodMakesDevicesAndFifos() throws IOException {
        Sys.mknod(dir.resolve("whiteout"), Sys.S_IFCHR, 0);
        Sys.mknod(dir.resolve("null"), Sys.S_IFCHR | 0666, Sys.makedev(1, 3));
        Sys.mknod(dir.resolve("fifo"), Sys.S_IFIFO | 0600, 0);
        assertEquals(0L, Files.getAttribute(dir.resolve("whiteout"), "unix:rdev"));
        assertEquals(Sys.makedev(1, 3), Files.getAttribute(dir.resolve("null"), "unix:rdev"));
        assertEquals(0x0103L, Sys.makedev(1, 3));
        assertTrue(Files.readAttributes(dir.resolve("fifo"), java.nio.file.attribute.BasicFileAttributes.class).isOther());
        assertThrows(SysException.class, () -> Sys.mknod(dir.resolve("null"), Sys.S_IFCHR, 0));
    }

    @Test
    void extendedAttributesDoNotFollowSymlinks() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        Sys.setXattr(d, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Sys.setXattr(d, "user.big", new byte[1000]);
        assertEquals("y", new String(Sys.getXattr(d, "trusted.overlay.opaque").orElseThrow(), StandardCharsets.US_ASCII));
        assertEquals(1000, Sys.getXattr(d, "user.big").orElseThrow().length);
        assertEquals(Optional.empty(), Sys.getXattr(d, "user.none"));
        assertTrue(Sys.listXattrs(d).containsAll(List.of("trusted.overlay.opaque", "user.big")));
        Path link = Files.createSymbolicLink(dir.resolve("link"), d);
        assertFalse(Sys.listXattrs(link).contains("user.big"));
        assertTrue(Files.isSymbolicLink(link) && Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    }
}
