package io.capstan.node.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private scratch directory under {@code <images>/tmp} for one import: files are written and
 * fsynced here, hashed as they are written, and either renamed into the blob store or deleted with
 * the directory when the import ends.
 */
final class Staging implements AutoCloseable {
    /** A written file with the sha256 and length of its bytes. */
    record StagedFile(Path path, Digest digest, long size) {}

    private final Path dir;
    private int next;

    Staging(Path imagesRoot) throws IOException {
        Path tmp = Files.createDirectories(imagesRoot.resolve("tmp"));
        this.dir = Files.createTempDirectory(tmp, "import-");
    }

    /** Copies {@code in} (to its end, not closed) into a new file. */
    StagedFile write(InputStream in) throws IOException {
        Path file = dir.resolve("f" + (next++));
        MessageDigest md = Digest.sha256();
        long size = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(ch)) {
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
            out.flush();
            ch.force(true);
        }
        return new StagedFile(file, Digest.of(md), size);
    }

    StagedFile write(byte[] content) throws IOException {
        return write(new java.io.ByteArrayInputStream(content));
    }

    /**
     * Deletes the scratch directories of imports that died without cleaning up (a crash, SIGKILL):
     * those untouched for a day. Call under the store lock.
     */
    static void removeStale(Path imagesRoot) throws IOException {
        Path tmp = imagesRoot.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        java.nio.file.attribute.FileTime dayAgo = java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path d : dirs.toList()) {
                if (d.getFileName().toString().startsWith("import-") && Files.getLastModifiedTime(d).compareTo(dayAgo) < 0) {
                    delete(d);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
