package io.capstan.node.graph;

import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Copies a tree exactly, as root: regular files, directories, symlinks (not followed), hard links
 * (kept as links within the copy), char and block devices and fifos (including overlay's 0/0
 * whiteouts); owners, modes with setuid/setgid/sticky, mtimes; and the extended attributes an image
 * may carry ({@code user.*}, {@code security.capability}) plus {@code trusted.overlay.opaque}.
 * Sockets are skipped.
 */
final class TreeCopier {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFSOCK = 0140000;
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private TreeCopier() {
    }

    /** Copies {@code src} (a directory) to {@code dst}, which must not exist yet. */
    static void copy(Path src, Path dst) throws IOException {
        Map<String, Path> inodes = new HashMap<>();
        Deque<Map<String, Object>> dirAttrs = new ArrayDeque<>();
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                Files.createDirectory(dst.resolve(src.relativize(dir).toString()));
                dirAttrs.push(Files.readAttributes(dir, "unix:*", LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                copyEntry(file, dst.resolve(src.relativize(file).toString()), inodes);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Path target = dst.resolve(src.relativize(dir).toString());
                finish(dir, target, dirAttrs.pop(), false);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyEntry(Path file, Path target, Map<String, Path> inodes) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attrs.get("mode");
        int type = mode & S_IFMT;
        if (type == S_IFREG) {
            if ((Integer) attrs.get("nlink") > 1) {
                String key = attrs.get("dev") + ":" + attrs.get("ino");
                Path first = inodes.putIfAbsent(key, target);
                if (first != null) {
                    Files.createLink(target, first);
                    return;
                }
            }
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } else if (type == S_IFLNK) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(file));
        } else if (type == S_IFSOCK) {
            return;
        } else {
            Sys.mknod(target, type | (mode & 07777), (Long) attrs.get("rdev"));
        }
        finish(file, target, attrs, type == S_IFLNK);
    }

    private static void finish(Path src, Path target, Map<String, Object> attrs, boolean symlink)
            throws IOException {
        // Owner first: chown clears security.capability, so the xattrs come after it.
        Trees.setMetadata(target, (Integer) attrs.get("uid"), (Integer) attrs.get("gid"),
                (Integer) attrs.get("mode"), (FileTime) attrs.get("lastModifiedTime"), symlink);
        for (String name : Sys.listXattrs(src)) {
            if (name.startsWith("user.") || name.equals("security.capability") || name.equals(OPAQUE_XATTR)) {
                Optional<byte[]> value = Sys.getXattr(src, name);
                if (value.isPresent()) {
                    Sys.setXattr(target, name, value.get());
                }
            }
        }
    }
}
