package io.capstan.node.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads /proc/self/mountinfo to refuse installing the shim where it could not be executed. */
final class MountTable {
    private MountTable() {}

    /** Throws if {@code dir} lies on a mount with the noexec option. */
    static void requireExec(Path dir) throws IOException {
        Path real = dir.toRealPath();
        List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        String best = null;
        String bestOptions = "";
        for (String line : lines) {
            // id parent major:minor root mount-point options [optional...] - type source super-options
            String[] f = line.split(" ");
            if (f.length < 6) {
                continue;
            }
            String mountPoint = unescape(f[4]);
            if (covers(mountPoint, real.toString()) && (best == null || mountPoint.length() >= best.length())) {
                best = mountPoint;
                bestOptions = f[5];
            }
        }
        if (List.of(bestOptions.split(",")).contains("noexec")) {
            throw new IOException("cannot install capstan-shim in " + dir + ": " + best
                    + " is mounted noexec; choose a --data-dir on a filesystem that allows executables");
        }
    }

    private static boolean covers(String mountPoint, String path) {
        return mountPoint.equals("/") || path.equals(mountPoint) || path.startsWith(mountPoint + "/");
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
