package io.capstan.node.graph;

import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;

/** A comparable description of a directory tree: path to type, mode, owner and content. */
final class Views {

    private Views() {
    }

    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> view = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                if (!dir.equals(root)) {
                    view.put(root.relativize(dir).toString(), describe(dir));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                view.put(root.relativize(file).toString(), describe(file));
                return FileVisitResult.CONTINUE;
            }
        });
        return view;
    }

    static String describe(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String owner = " " + a.get("uid") + ":" + a.get("gid");
        String perm = " " + Integer.toOctalString(mode & 07777);
        switch (mode & 0170000) {
            case 0040000:
                return "dir" + perm + owner + opaque(p);
            case 0100000:
                return "file" + perm + owner + " " + new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            case 0120000:
                return "link -> " + Files.readSymbolicLink(p);
            case 0020000:
                return "chr" + perm + owner + " " + rdev(a);
            case 0060000:
                return "blk" + perm + owner + " " + rdev(a);
            case 0010000:
                return "fifo" + perm + owner;
            default:
                return "other " + Integer.toOctalString(mode);
        }
    }

    private static String opaque(Path dir) {
        try {
            return Sys.getXattr(dir, "trusted.overlay.opaque").map(v -> " opaque").orElse("");
        } catch (IOException e) {
            return ""; // an overlay mount does not expose its own xattrs
        }
    }

    private static String rdev(Map<String, Object> a) {
        long dev = (Long) a.get("rdev");
        long major = ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
        long minor = ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
        return major + "/" + minor;
    }
}
