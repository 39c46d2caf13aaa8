package io.capstan.node.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Blobs by digest under {@code blobs/sha256/<hex>}. A blob appears only complete and verified:
 * it is written and fsynced elsewhere (see {@link Staging}) and renamed into place.
 */
final class BlobStore {
    private final Path dir;

    BlobStore(Path root) throws IOException {
        this.dir = Files.createDirectories(root.resolve("blobs").resolve("sha256"));
    }

    Path path(Digest digest) {
        return dir.resolve(digest.hex());
    }

    boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    byte[] read(Digest digest) throws IOException {
        return Files.readAllBytes(path(digest));
    }

    InputStream open(Digest digest) throws IOException {
        return Files.newInputStream(path(digest));
    }

    /** Moves a staged, verified blob into place (keeps the present one if already stored). */
    void commit(Path staged, Digest digest) throws IOException {
        Path target = path(digest);
        if (Files.exists(target)) {
            Files.deleteIfExists(staged);
            return;
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(staged);
        }
    }

    /** Fsyncs the blob directory so renames into it survive a crash. */
    void syncDirectory() throws IOException {
        fsyncDirectory(dir);
    }

    Set<Digest> list() throws IOException {
        Set<Digest> out = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (Digest.isDigest("sha256:" + name)) {
                    out.add(new Digest(name));
                }
            }
        }
        return out;
    }

    void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
