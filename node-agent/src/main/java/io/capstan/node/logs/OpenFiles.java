package io.capstan.node.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Opening the files of an attempt in reading order while the shim may rotate them: a rotation
 * renames files, so a set is only used once reopening the listing finds the same files at the
 * same names; and after a rotation the files newer than the one held open are found by its
 * identity (an open file's inode is never reused).
 */
final class OpenFiles {
    private static final int TRIES = 5;

    private OpenFiles() {
    }

    /** The rotated files oldest first, then the current file; those absent are left out. */
    static List<LogSource> open(LogFiles files) throws IOException {
        List<LogSource> opened = new ArrayList<>();
        for (int t = 0; t < TRIES; t++) {
            List<Path> names = names(files);
            opened = new ArrayList<>();
            try {
                for (Path p : names) {
                    LogSource s = LogSource.open(p);
                    if (s != null) {
                        opened.add(s);
                    }
                }
                if (stable(names, opened)) {
                    return opened;
                }
            } catch (IOException | RuntimeException e) {
                closeAll(opened);
                throw e;
            }
            closeAll(opened);
        }
        // The shim keeps rotating faster than we can list: read what the last attempt opened.
        List<LogSource> last = new ArrayList<>();
        for (Path p : names(files)) {
            LogSource s = LogSource.open(p);
            if (s != null) {
                last.add(s);
            }
        }
        return last;
    }

    /**
     * The files that are newer than {@code held} now, leaving out any file already among {@code
     * known} (read or being read). While the shim renames the rotated files one after the other, a
     * listing may miss {@code held}; then the listing is retried, and whatever it finally shows is
     * filtered by identity, so no file is ever handed out twice.
     */
    static List<LogSource> after(LogFiles files, LogSource held, List<LogSource> known) throws IOException {
        List<Path> names = names(files);
        int from = held == null ? 0 : position(names, held);
        for (int t = 0; held != null && from < 0 && t < TRIES; t++) {
            Thread.onSpinWait();
            names = names(files);
            from = position(names, held);
        }
        List<Object> seen = new ArrayList<>();
        for (LogSource k : known) {
            seen.add(k.key());
        }
        List<LogSource> fresh = new ArrayList<>();
        for (Path p : names.subList(Math.max(from, 0), names.size())) {
            Object key = LogSource.key(p);
            if (key == null || seen.contains(key)) {
                continue;
            }
            LogSource s = LogSource.open(p);
            if (s != null && !seen.contains(s.key())) {
                fresh.add(s);
                seen.add(s.key());
            } else if (s != null) {
                s.close();
            }
        }
        return fresh;
    }

    /** The index just after {@code held} in {@code names}, or -1 when the listing does not show it. */
    private static int position(List<Path> names, LogSource held) throws IOException {
        int from = -1;
        for (int i = 0; i < names.size(); i++) {
            if (held.key().equals(LogSource.key(names.get(i)))) {
                from = i + 1;
            }
        }
        return from;
    }

    private static List<Path> names(LogFiles files) {
        List<Path> names = new ArrayList<>(files.rotatedNow());
        names.add(files.current());
        return names;
    }

    /** True if the listing still names exactly the opened files in the same order. */
    private static boolean stable(List<Path> names, List<LogSource> opened) throws IOException {
        List<Path> now = new ArrayList<>();
        for (Path p : names) {
            if (LogSource.key(p) != null) {
                now.add(p);
            }
        }
        if (now.size() != opened.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            if (!Objects.equals(LogSource.key(now.get(i)), opened.get(i).key())) {
                return false;
            }
        }
        return true;
    }

    private static void closeAll(List<LogSource> opened) {
        for (LogSource s : opened) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a read-only descriptor
            }
        }
    }
}
