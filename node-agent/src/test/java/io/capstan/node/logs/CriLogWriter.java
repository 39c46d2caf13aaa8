package io.capstan.node.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Writes CRI records into {@code <dir>/<attempt>.log} and rotates like the shim does. */
final class CriLogWriter implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05.000000001Z");

    private final Path dir;
    private final int attempt;
    private final int maxFiles;
    private OutputStream out;
    private long seconds;

    CriLogWriter(Path dir, int attempt, int maxFiles) throws IOException {
        this.dir = dir;
        this.attempt = attempt;
        this.maxFiles = maxFiles;
        Files.createDirectories(dir);
        this.out = open();
    }

    Path current() {
        return dir.resolve(attempt + ".log");
    }

    /** The time of the next record: T0 plus one second per record written so far. */
    Instant nextTime() {
        return T0.plusSeconds(seconds);
    }

    CriLogWriter line(String stream, String content) throws IOException {
        return record(stream, 'F', content);
    }

    CriLogWriter record(String stream, char tag, String content) throws IOException {
        String ts = CriRecord.OUT.format(nextTime());
        seconds++;
        raw(ts + " " + stream + " " + tag + " " + content + "\n");
        return this;
    }

    CriLogWriter raw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** The shim's rotation: shift {@code .N} to {@code .N+1} (dropping beyond maxFiles-1), then reopen. */
    void rotate() throws IOException {
        renameAway();
        reopen();
    }

    /** The first half of {@link #rotate()}: the files are renamed and no current file exists yet. */
    void renameAway() throws IOException {
        out.close();
        Files.deleteIfExists(dir.resolve(attempt + ".log." + (maxFiles - 1)));
        for (int i = maxFiles - 2; i >= 1; i--) {
            Path from = dir.resolve(attempt + ".log." + i);
            if (Files.exists(from)) {
                Files.move(from, dir.resolve(attempt + ".log." + (i + 1)), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(current(), dir.resolve(attempt + ".log.1"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The second half of {@link #rotate()}: a new current file. */
    void reopen() throws IOException {
        out = open();
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(current(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
