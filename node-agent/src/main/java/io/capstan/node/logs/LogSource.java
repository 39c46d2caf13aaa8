package io.capstan.node.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An open log file read forward line by line. The open descriptor keeps reading the same file
 * after the shim renames it; {@link #key()} identifies the file (its inode, which cannot be reused
 * while the file is open). Lines longer than the buffer are not CRI records the shim writes: they
 * are dropped and counted.
 */
final class LogSource implements Closeable {
    /** The shim writes records of at most 16 KiB of content plus a header. */
    static final int MAX_LINE = 64 * 1024;

    final Path path;
    private final FileChannel channel;
    private final Object key;
    private final byte[] buf = new byte[MAX_LINE];
    private int pos;
    private int lim;
    private int scan;
    private boolean dropping;
    int dropped;
    /** The last line returned by {@link #next()} or {@link #rest()}: {@code buf()[lineStart, lineStart+lineLen)}. */
    int lineStart;
    int lineLen;

    private LogSource(Path path, FileChannel channel, Object key) {
        this.path = path;
        this.channel = channel;
        this.key = key;
    }

    /** Opens {@code path}, or returns null if it does not exist (or was renamed while opening). */
    static LogSource open(Path path) throws IOException {
        for (int tries = 0; tries < 3; tries++) {
            Object before = key(path);
            if (before == null) {
                return null;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            if (before.equals(key(path))) {
                return new LogSource(path, ch, before);
            }
            ch.close();
        }
        return null;
    }

    /** The file identity of {@code path} now, null if absent. */
    static Object key(Path path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : path.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    Object key() {
        return key;
    }

    FileChannel channel() {
        return channel;
    }

    byte[] buf() {
        return buf;
    }

    void seek(long offset) throws IOException {
        channel.position(offset);
        pos = lim = scan = 0;
        dropping = false;
    }

    /** The next complete line; false at the current end of the file (an unfinished line is kept). */
    boolean next() throws IOException {
        for (;;) {
            int nl = -1;
            for (int i = scan; i < lim; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                lineStart = pos;
                lineLen = nl - pos;
                pos = scan = nl + 1;
                if (!dropping) {
                    return true;
                }
                dropping = false;
                dropped++;
                continue;
            }
            scan = lim;
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                scan -= pos;
                pos = 0;
            }
            if (lim == buf.length) {
                dropping = true;
                pos = lim = scan = 0;
            }
            int n = channel.read(ByteBuffer.wrap(buf, lim, buf.length - lim));
            if (n <= 0) {
                return false;
            }
            lim += n;
        }
    }

    /** At the final end of the file: the unfinished last line, if any (a truncated record). */
    boolean rest() {
        if (dropping) {
            dropping = false;
            dropped++;
            pos = lim = scan = 0;
            return false;
        }
        if (lim > pos) {
            lineStart = pos;
            lineLen = lim - pos;
            pos = scan = lim;
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
