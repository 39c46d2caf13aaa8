package io.capstan.node.image;

import java.util.List;
import java.util.Map;

/**
 * The runtime defaults an image's OCI config carries ({@code config} in the config blob): what a
 * container runs when the pod does not say, its environment, working directory and user.
 * Absent values are empty lists, empty strings and an empty map, never null.
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                          String user, Map<String, String> labels) {
    public ImageConfig {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
