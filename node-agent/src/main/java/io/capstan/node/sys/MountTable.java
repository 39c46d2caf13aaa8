package io.capstan.node.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the mount table of this process from /proc/self/mountinfo. */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /**
     * One line of mountinfo: the device ({@code major:minor}), the directory of that filesystem
     * mounted here ({@code root}), the mount point (octal escapes decoded), the filesystem type, the
     * source, and whether the mount propagates to a peer group ({@code shared:N}).
     */
    public record Mount(int id, int parentId, String device, Path root, Path mountPoint, String fsType,
                        String source, boolean shared) {
    }

    private MountTable() {
    }

    /** Every mount of this process's mount namespace, in mount order. */
    public static List<Mount> read() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO)) {
            String[] f = line.split(" ");
            int sep = 6;
            boolean shared = false;
            while (sep < f.length && !f[sep].equals("-")) {
                shared |= f[sep].startsWith("shared:");
                sep++;
            }
            if (sep + 2 >= f.length) {
                continue;
            }
            mounts.add(new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], Path.of(unescape(f[3])),
                    Path.of(unescape(f[4])), unescape(f[sep + 1]), unescape(f[sep + 2]), shared));
        }
        return mounts;
    }

    /** The mounts at or below {@code dir} (compared as absolute, normalized paths). */
    public static List<Mount> under(Path dir) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        List<Mount> result = new ArrayList<>();
        for (Mount m : read()) {
            if (m.mountPoint().startsWith(base)) {
                result.add(m);
            }
        }
        return result;
    }

    /** Whether something is mounted exactly at {@code dir}. */
    public static boolean isMountPoint(Path dir) throws IOException {
        // Only the mount point field is looked at (no Path per line): with a hundred pods the table
        // has a few hundred lines, and this runs on every pod start.
        String p = dir.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(MOUNTINFO)) {
            String[] f = line.split(" ", 6);
            if (f.length > 5 && unescape(f[4]).equals(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the topmost mount at {@code dir} is a bind mount of {@code dir} onto itself (same
     * device and directory as what lies below it), as opposed to another filesystem mounted there.
     */
    public static boolean isSelfBind(Path dir) throws IOException {
        Path p = dir.toAbsolutePath().normalize();
        List<Mount> mounts = read();
        Mount top = null;
        for (Mount m : mounts) {
            if (m.mountPoint().equals(p)) {
                top = m;
            }
        }
        if (top == null) {
            return false;
        }
        for (Mount parent : mounts) {
            if (parent.id() == top.parentId()) {
                Path below = parent.root().resolve(parent.mountPoint().relativize(p).toString()).normalize();
                return parent.device().equals(top.device()) && below.equals(top.root());
            }
        }
        return false;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
