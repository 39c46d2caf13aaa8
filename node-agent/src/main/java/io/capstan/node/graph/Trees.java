package io.capstan.node.graph;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import io.capstan.node.sys.SysException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** File tree and mount helpers; none follows a symlink. */
final class Trees {

    private static final Logger LOG = Logger.getLogger(Trees.class);

    private Trees() {
    }

    /** Deletes a file or tree; missing is fine. Fails (EBUSY) on a mount point inside it. */
    static void delete(Path path) throws IOException {
        if (ScopedPaths.lstat(path) == null) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Sum of the sizes of the regular files in a tree (hard links counted once per name). */
    static long size(Path path) throws IOException {
        long[] total = {0};
        if (ScopedPaths.lstat(path) == null) {
            return 0;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /**
     * Sets owner, then mode (so chown does not clear setuid bits), then mtime, none following a
     * final symlink (a symlink keeps its mode) and none opening the file (fifos would block).
     */
    static void setMetadata(Path p, int uid, int gid, int mode, FileTime mtime, boolean symlink)
            throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        if (!symlink) {
            Sys.chmod(p, mode & 07777);
        }
        if (mtime != null) {
            Sys.setTimes(p, mtime.toInstant(), mtime.toInstant());
        }
    }

    /** Unmounts everything stacked on {@code target}, lazily (MNT_DETACH) where it is busy. */
    static void unmountAll(Path target) throws IOException {
        while (MountTable.isMountPoint(target)) {
            try {
                Sys.umount(target, 0);
            } catch (SysException e) {
                if (e.errno() != Sys.EBUSY) {
                    throw e;
                }
                LOG.warnf("%s is busy; detaching it lazily (MNT_DETACH)", target);
                Sys.umount(target, Sys.MNT_DETACH);
            }
        }
    }

    /** The directories directly in {@code dir}, sorted. */
    static List<Path> directories(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
