package io.capstan.node.logs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log files of one container attempt: {@code <attempt>.log} (the file the shim writes) and the
 * rotated {@code <attempt>.log.N} (N = 1 is the newest), in a container directory
 * {@code <logs>/<ns>_<pod>_<uid>/<container>}. The current attempt is the highest number found in
 * the directory; {@code previous} is the highest one below it.
 *
 * @param dir       the container's log directory
 * @param attempt   the attempt whose files these are
 * @param current   {@code <attempt>.log} (may be absent for a moment while the shim rotates)
 * @param rotated   the rotated files found at selection time, oldest first
 * @param pod       the pod name (for messages)
 * @param container the container name (for messages)
 */
public record LogFiles(Path dir, int attempt, Path current, List<Path> rotated, String pod, String container) {
    private static final Pattern NAME = Pattern.compile("(\\d{1,9})\\.log(?:\\.(\\d{1,9}))?");

    public LogFiles {
        rotated = List.copyOf(rotated);
    }

    /** {@code <logsDir>/<ns>_<pod>_<uid>/<container>}, as the runtime lays it out. */
    public static Path containerDir(Path logsDir, String namespace, String pod, String uid, String container) {
        return logsDir.resolve(namespace + "_" + pod + "_" + uid).resolve(container);
    }

    /**
     * Chooses the files of the current attempt, or of the previous one.
     *
     * @throws LogException if the directory has no log files, or there is no earlier attempt when
     *                      {@code previous} is asked for
     */
    public static LogFiles select(Path containerDir, String pod, String container, boolean previous)
            throws LogException {
        TreeMap<Integer, List<Integer>> attempts = scan(containerDir, pod, container);
        if (attempts.isEmpty()) {
            throw new LogException("container \"" + container + "\" in pod \"" + pod + "\" has no log files");
        }
        int current = attempts.lastKey();
        if (!previous) {
            return of(containerDir, current, attempts.get(current), pod, container);
        }
        Map.Entry<Integer, List<Integer>> before = attempts.lowerEntry(current);
        if (before == null) {
            throw new LogException("previous terminated container \"" + container + "\" in pod \"" + pod
                    + "\" not found");
        }
        return of(containerDir, before.getKey(), before.getValue(), pod, container);
    }

    /** The files of a known attempt (the caller knows the restart count); they may not exist yet. */
    public static LogFiles ofAttempt(Path containerDir, int attempt, String pod, String container)
            throws LogException {
        List<Integer> rotations = scan(containerDir, pod, container).getOrDefault(attempt, List.of());
        return of(containerDir, attempt, rotations, pod, container);
    }

    /** The highest attempt with a file in {@code containerDir}, empty if none (or no directory). */
    public static OptionalInt latestAttempt(Path containerDir) {
        try {
            TreeMap<Integer, List<Integer>> a = scan(containerDir, "", "");
            return a.isEmpty() ? OptionalInt.empty() : OptionalInt.of(a.lastKey());
        } catch (LogException e) {
            return OptionalInt.empty();
        }
    }

    /** The rotated files of this attempt present now, oldest first (they shift while the shim rotates). */
    public List<Path> rotatedNow() {
        try {
            List<Integer> r = scan(dir, pod, container).getOrDefault(attempt, List.of());
            return of(dir, attempt, r, pod, container).rotated();
        } catch (LogException e) {
            return List.of();
        }
    }

    private static LogFiles of(Path dir, int attempt, List<Integer> rotations, String pod, String container) {
        List<Path> rotated = new ArrayList<>();
        for (int i = rotations.size() - 1; i >= 0; i--) {
            int n = rotations.get(i);
            if (n > 0) {
                rotated.add(dir.resolve(attempt + ".log." + n));
            }
        }
        return new LogFiles(dir, attempt, dir.resolve(attempt + ".log"), rotated, pod, container);
    }

    /** attempt -> its rotation numbers ascending (0 = the current file). */
    private static TreeMap<Integer, List<Integer>> scan(Path dir, String pod, String container) throws LogException {
        TreeMap<Integer, List<Integer>> attempts = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    int n = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                    attempts.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(n);
                }
            }
        } catch (NoSuchFileException e) {
            return attempts;
        } catch (IOException e) {
            throw new LogException("cannot list the logs of container \"" + container + "\" in pod \"" + pod
                    + "\": " + e.getMessage(), e);
        }
        attempts.values().forEach(l -> l.sort(null));
        return attempts;
    }
}
