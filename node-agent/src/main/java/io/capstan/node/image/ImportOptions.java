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

    /**
     * An entrypoint or cmd as a user writes it: a JSON array of strings ({@code ["/bin/sh","-c","echo hi"]})
     * or a plain string split at whitespace ({@code sleep 3600}).
     *
     * @throws IllegalArgumentException for malformed JSON or an array of non-strings
     */
    public static List<String> commandLine(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String t = text.strip();
        if (!t.startsWith("[")) {
            return List.of(t.split("\\s+"));
        }
        tools.jackson.databind.JsonNode node;
        try {
            node = Json.MAPPER.readTree(t);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("invalid command " + t + " (expected a JSON array of strings)");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (tools.jackson.databind.JsonNode e : node) {
            if (!e.isString()) {
                throw new IllegalArgumentException("invalid command " + t + " (expected a JSON array of strings)");
            }
            out.add(e.asString());
        }
        return List.copyOf(out);
    }

    /** Whether any option is set. */
    public boolean isSet() {
        return !entrypoint.isEmpty() || !cmd.isEmpty() || !env.isEmpty() || !workingDir.isEmpty();
    }
}
