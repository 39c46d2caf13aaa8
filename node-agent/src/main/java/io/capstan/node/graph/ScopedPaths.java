package io.capstan.node.graph;

import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Path resolution confined to a root directory, as if the root were {@code /} (like a chroot):
 * every component is looked at with lstat; a symlink is resolved against the root ({@code ..} stops
 * at the root, absolute targets restart at the root), so no lookup ever leaves the root, whatever
 * the symlinks say. Only the unpacker writes into the directories it resolves in, so nothing can
 * swap a component between the check and the use.
 */
final class ScopedPaths {

    private static final int MAX_SYMLINKS = 40;

    private ScopedPaths() {
    }

    /**
     * Splits a tar entry name into components: leading slashes and {@code .} are dropped (an
     * absolute name is taken relative to the root, as tar does), {@code ..} is refused.
     */
    static List<String> components(String name) throws GraphException {
        List<String> result = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw invalid("entry '" + name + "' contains '..'");
            }
            if (c.indexOf('\0') >= 0) {
                throw invalid("entry '" + name + "' contains a NUL byte");
            }
            result.add(c);
        }
        return result;
    }

    /**
     * Resolves {@code dirs} under {@code root} to a directory, following symlinks inside the root
     * only. With {@code create}, missing directories are made (mode 0755, owned by the caller).
     * A component that is not a directory fails the resolution.
     */
    static Path resolveDir(Path root, List<String> dirs, boolean create) throws IOException {
        Deque<String> todo = new ArrayDeque<>(dirs);
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path p = join(root, done).resolve(c);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                if (!create) {
                    throw new NoSuchFileException(p.toString());
                }
                Files.createDirectory(p);
                Sys.chmod(p, 0755);
                done.add(c);
            } else if (a.isSymbolicLink()) {
                if (++links > MAX_SYMLINKS) {
                    throw invalid("too many levels of symbolic links at " + root.relativize(p));
                }
                String target = Files.readSymbolicLink(p).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            } else if (a.isDirectory()) {
                done.add(c);
            } else {
                throw invalid(root.relativize(p) + " is not a directory");
            }
        }
        return join(root, done);
    }

    /** lstat, or null when nothing is there. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    static GraphException invalid(String message) {
        return new GraphException(GraphException.Reason.INVALID_LAYER, "invalid layer: " + message);
    }
}
