package io.capstan.node.image;

import java.util.List;

/**
 * The config of an image made from a plain root-filesystem tarball (they do not apply to OCI or
 * docker archives, which carry their own): entrypoint, cmd, environment ({@code K=V}; a default
 * {@code PATH} is added unless one is given) and working directory. Null or empty means unset.
 */
public record ImportOptions(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir) {
    public static final ImportOptions NONE = new ImportOptions(null, null, null, null);

    public ImportOptions {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        for (String e : env) {
            if (e.indexOf('=') <= 0) {
                throw new IllegalArgumentException("invalid environment variable \"" + e + "\" (expected NAME=VALUE)");
            }
        }
        if (!workingDir.isEmpty() && !workingDir.startsWith("/")) {
            throw new IllegalArgumentException("invalid working directory \"" + workingDir + "\" (must be absolute)");
        }
    }

    /** Whether any option is set. */
    public boolean isSet() {
        return !entrypoint.isEmpty() || !cmd.isEmpty() || !env.isEmpty() || !workingDir.isEmpty();
    }
}
