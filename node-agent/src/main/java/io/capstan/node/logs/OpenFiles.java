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

    /** The files that are newer than {@code held} now (all of them if it is no longer among them). */
    static List<LogSource> after(LogFiles files, LogSource held) throws IOException {
        List<Path> names = names(files);
        int from = 0;
        if (held != null) {
            for (int i = 0; i < names.size(); i++) {
                if (held.key().equals(LogSource.key(names.get(i)))) {
                    from = i + 1;
                }
            }
        }
        List<LogSource> fresh = new ArrayList<>();
        for (Path p : names.subList(from, names.size())) {
            LogSource s = LogSource.open(p);
            if (s != null) {
                fresh.add(s);
            }
        }
        return fresh;
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
