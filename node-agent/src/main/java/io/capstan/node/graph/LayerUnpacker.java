package io.capstan.node.graph;

import io.capstan.node.sys.Sys;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one uncompressed layer tar into a directory the caller owns exclusively.
 *
 * <p>Handles regular files, directories, symlinks, hard links, char and block devices, fifos, modes
 * (setuid, setgid, sticky), numeric uid/gid, mtimes and PAX long names. Every entry is placed with
 * {@link ScopedPaths}: {@code ..} fails the layer, absolute names are taken relative to the root,
 * and symlinks (from earlier entries or, for vfs, from parent layers) are resolved inside the root,
 * so no write and no hard link ever reaches outside it. An existing non-directory at an entry's
 * path is replaced, never written through.
 */
final class LayerUnpacker {

    /** What whiteout entries become. */
    enum Whiteouts {
        /** overlayfs format: {@code .wh.x} becomes a 0/0 char device, an opaque dir an xattr. */
        OVERLAY,
        /** Applied to a full copy of the parent: {@code .wh.x} deletes x, opaque empties the dir. */
        DELETE
    }

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    private final Path root;
    private final Whiteouts whiteouts;
    private final Predicate<List<String>> inParents;
    private final List<Path> dirs = new ArrayList<>();
    private final List<FileTime> dirTimes = new ArrayList<>();
    private final List<Path> opaqueDirs = new ArrayList<>();
    private final Set<Path> written = new HashSet<>();
    private long bytes;

    private LayerUnpacker(Path root, Whiteouts whiteouts, Predicate<List<String>> inParents) {
        this.root = root;
        this.whiteouts = whiteouts;
        this.inParents = inParents;
    }

    /** Unpacks {@code tar} into {@code root}; returns the bytes of regular-file content. */
    static long unpack(InputStream tar, Path root, Whiteouts whiteouts) throws IOException {
        return unpack(tar, root, whiteouts, path -> true);
    }

    /**
     * As {@link #unpack(InputStream, Path, Whiteouts)}; an OVERLAY whiteout is only stored when
     * {@code inParents} says a parent layer has something at its path (a whiteout in a directory
     * no parent has would show in the merged view as an entry that cannot be opened).
     */
    static long unpack(InputStream tar, Path root, Whiteouts whiteouts, Predicate<List<String>> inParents)
            throws IOException {
        LayerUnpacker u = new LayerUnpacker(root, whiteouts, inParents);
        BufferedInputStream buffered = new BufferedInputStream(tar, 65536);
        TarArchiveInputStream in = new TarArchiveInputStream(buffered);
        while (true) {
            TarArchiveEntry e;
            try {
                e = in.getNextEntry();
            } catch (IOException | RuntimeException ex) {
                throw new GraphException(GraphException.Reason.INVALID_LAYER,
                        "invalid layer: corrupt tar header: " + ex.getMessage(), ex);
            }
            if (e == null) {
                break;
            }
            try {
                u.entry(in, e);
            } catch (InvalidPathException ex) {
                throw ScopedPaths.invalid("entry '" + e.getName() + "': " + ex.getMessage());
            }
        }
        u.finish();
        buffered.transferTo(OutputStream.nullOutputStream()); // padding after the end marker, for digesting callers
        return u.bytes;
    }

    private void entry(TarArchiveInputStream in, TarArchiveEntry e) throws IOException {
        List<String> parts = ScopedPaths.components(e.getName());
        if (parts.isEmpty()) {
            if (e.isDirectory()) {
                metadata(root, e, false);
                deferTimes(root, e);
            }
            return;
        }
        String base = parts.get(parts.size() - 1);
        List<String> parentParts = parts.subList(0, parts.size() - 1);
        if (base.startsWith(WHITEOUT_PREFIX)) {
            whiteout(parentParts, base, e.getName());
            return;
        }
        Path parent = ScopedPaths.resolveDir(root, parentParts, true);
        Path path = parent.resolve(base);
        BasicFileAttributes existing = ScopedPaths.lstat(path);
        if (existing != null && !(existing.isDirectory() && e.isDirectory())) {
            Trees.delete(path);
            existing = null;
        }
        for (Path p = path; p.startsWith(root) && written.add(p); p = p.getParent()) {
            // this entry and its parents belong to this layer (an opaque parent keeps them)
        }
        if (e.isDirectory()) {
            if (existing == null) {
                Files.createDirectory(path);
            }
            metadata(path, e, false);
            deferTimes(path, e);
        } else if (e.isSymbolicLink()) {
            if (e.getLinkName().isEmpty()) {
                throw ScopedPaths.invalid("symlink '" + e.getName() + "' has no target");
            }
            Files.createSymbolicLink(path, Path.of(e.getLinkName()));
            metadata(path, e, true);
        } else if (e.isLink()) {
            Files.createLink(path, hardLinkTarget(e));
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            int type = e.isCharacterDevice() ? Sys.S_IFCHR : e.isBlockDevice() ? Sys.S_IFBLK : Sys.S_IFIFO;
            Sys.mknod(path, type | (e.getMode() & 07777), Sys.makedev(e.getDevMajor(), e.getDevMinor()));
            metadata(path, e, false);
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copyData(in, out, e);
            }
            metadata(path, e, false);
        } else {
            throw ScopedPaths.invalid("entry '" + e.getName() + "' has unsupported type '"
                    + (char) e.getLinkFlag() + "'");
        }
    }

    private void copyData(TarArchiveInputStream in, OutputStream out, TarArchiveEntry e) throws IOException {
        byte[] buf = new byte[65536];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException ex) {
                throw new GraphException(GraphException.Reason.INVALID_LAYER,
                        "invalid layer: truncated or corrupt data of '" + e.getName() + "': " + ex.getMessage(), ex);
            }
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            bytes += n;
        }
    }

    private Path hardLinkTarget(TarArchiveEntry e) throws IOException {
        List<String> target = ScopedPaths.components(e.getLinkName());
        if (target.isEmpty()) {
            throw ScopedPaths.invalid("hard link '" + e.getName() + "' has no target");
        }
        Path dir;
        try {
            dir = ScopedPaths.resolveDir(root, target.subList(0, target.size() - 1), false);
        } catch (NoSuchFileException ex) {
            throw ScopedPaths.invalid("hard link '" + e.getName() + "' to missing '" + e.getLinkName() + "'");
        }
        Path p = dir.resolve(target.get(target.size() - 1));
        BasicFileAttributes a = ScopedPaths.lstat(p);
        if (a == null || a.isDirectory()) {
            throw ScopedPaths.invalid("hard link '" + e.getName() + "' to missing or directory '"
                    + e.getLinkName() + "'");
        }
        return p;
    }

    private void whiteout(List<String> parentParts, String base, String name) throws IOException {
        if (whiteouts == Whiteouts.OVERLAY) {
            if (base.equals(OPAQUE)) {
                Path parent = ScopedPaths.resolveDir(root, parentParts, true);
                Sys.setXattr(parent, TreeCopier.OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
            } else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
                String hidden = hiddenName(base, name);
                List<String> hiddenPath = new ArrayList<>(parentParts);
                hiddenPath.add(hidden);
                if (!inParents.test(hiddenPath)) {
                    return;
                }
                Path path = ScopedPaths.resolveDir(root, parentParts, true).resolve(hidden);
                Trees.delete(path);
                Sys.mknod(path, Sys.S_IFCHR, 0);
            }
            return;
        }
        Path parent;
        try {
            parent = ScopedPaths.resolveDir(root, parentParts, false);
        } catch (NoSuchFileException | GraphException ex) {
            return; // nothing below to hide
        }
        if (base.equals(OPAQUE)) {
            opaqueDirs.add(parent);
        } else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            Trees.delete(parent.resolve(hiddenName(base, name)));
        }
    }

    private static String hiddenName(String base, String name) throws GraphException {
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw ScopedPaths.invalid("whiteout '" + name + "' names no file");
        }
        return hidden;
    }

    private void metadata(Path path, TarArchiveEntry e, boolean symlink) throws IOException {
        FileTime mtime = e.isDirectory() ? null : FileTime.from(e.getLastModifiedTime().toInstant());
        Trees.setMetadata(path, (int) e.getLongUserId(), (int) e.getLongGroupId(), e.getMode(), mtime, symlink);
    }

    private void deferTimes(Path dir, TarArchiveEntry e) {
        dirs.add(dir);
        dirTimes.add(FileTime.from(e.getLastModifiedTime().toInstant()));
    }

    private void finish() throws IOException {
        for (Path dir : opaqueDirs) {
            clearUnwritten(dir);
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            if (ScopedPaths.lstat(dirs.get(i)) != null) {
                Sys.setTimes(dirs.get(i), dirTimes.get(i).toInstant(), dirTimes.get(i).toInstant());
            }
        }
    }

    /** Opaque directory on a full copy: delete what the parent layers put there. */
    private void clearUnwritten(Path dir) throws IOException {
        List<Path> children;
        try (var s = Files.list(dir)) {
            children = s.toList();
        }
        for (Path child : children) {
            if (!written.contains(child)) {
                Trees.delete(child);
            } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                clearUnwritten(child);
            }
        }
    }
}
