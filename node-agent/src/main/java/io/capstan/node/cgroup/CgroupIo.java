package io.capstan.node.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/** Plain file I/O on cgroupfs shared by both drivers. */
final class CgroupIo {

    private CgroupIo() {}

    /** Writes {@code value} to an existing cgroup file; the error names the file and errno text. */
    static void write(Path file, String value) throws CgroupException {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new CgroupException("cannot write " + value + " to " + file + ": no such file", e);
        } catch (IOException e) {
            throw new CgroupException("cannot write " + value + " to " + file + ": " + reason(e), e);
        }
    }

    /** The errno text of an I/O failure (Java puts it in the message, sometimes after the path). */
    static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int colon = m.lastIndexOf(": ");
        return colon >= 0 && m.startsWith("/") ? m.substring(colon + 2) : m;
    }

    /** The trimmed contents of a file, or {@code null} if it does not exist or cannot be read. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** A single-number file; 0 if absent or not a number. */
    static long readLong(Path file) {
        String s = read(file);
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A flat-keyed file ({@code key value} per line) such as memory.stat or cpu.stat. */
    static Map<String, Long> readKeyed(Path file) {
        Map<String, Long> m = new HashMap<>();
        String s = read(file);
        if (s == null) {
            return m;
        }
        for (String line : s.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                try {
                    m.put(kv[0], Long.parseLong(kv[1]));
                } catch (NumberFormatException e) {
                    // e.g. "max"; not a counter
                }
            }
        }
        return m;
    }

    /** The directories of a cgroup subtree, deepest first, the given one last; empty if absent. */
    static List<Path> subtreeBottomUp(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        for (Path child : childDirs(dir)) {
            out.addAll(subtreeBottomUp(child));
        }
        out.add(dir);
        return out;
    }

    /** The child cgroups of a directory. */
    static List<Path> childDirs(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            s.forEach(out::add);
        } catch (IOException e) {
            // absent or just removed: no children
        }
        out.sort(null);
        return out;
    }

    /** The pids in {@code cgroup.procs} of every cgroup in the subtree of {@code dir}. */
    static void collectPids(Path dir, Set<Long> into) {
        for (Path d : subtreeBottomUp(dir)) {
            String s = read(d.resolve("cgroup.procs"));
            if (s == null || s.isEmpty()) {
                continue;
            }
            for (String line : s.split("\n")) {
                into.add(Long.parseLong(line.trim()));
            }
        }
    }

    /**
     * SIGKILLs the given pids. The agent's own pid is never signalled: finding it in a container's
     * cgroup is a bug that must not take the agent down.
     */
    static void sigkill(Collection<Long> pids) {
        long self = ProcessHandle.current().pid();
        for (long pid : pids) {
            if (pid != self) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Polls {@code condition} every few milliseconds until it holds or {@code timeout} passed. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
            sleep = Math.min(sleep * 2, 20);
        }
        return true;
    }

    /**
     * Removes the subtree of {@code dir} deepest first. A cgroup whose last processes are still
     * exiting refuses rmdir with EBUSY for a moment; that is retried until {@code deadline}
     * ({@link System#nanoTime()}).
     */
    static void removeTree(Path dir, long deadline) throws CgroupException {
        for (Path d : subtreeBottomUp(dir)) {
            while (true) {
                try {
                    Files.deleteIfExists(d);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() - deadline > 0) {
                        Set<Long> left = new TreeSet<>();
                        collectPids(d, left);
                        throw new CgroupException("cannot remove cgroup " + d + ": " + reason(e)
                                + (left.isEmpty() ? "" : " (processes still in it: " + left + ")"), e);
                    }
                    await(() -> false, Duration.ofMillis(10));
                }
            }
        }
    }

    /** Checks that a name can be one directory level: no separators, not empty, not a dot name. */
    static String checkName(String what, String name) throws CgroupException {
        if (name == null || !name.matches("[A-Za-z0-9_.:-]{1,200}") || name.equals(".") || name.equals("..")) {
            throw new CgroupException("invalid " + what + " for a cgroup name: " + name);
        }
        return name;
    }
}
