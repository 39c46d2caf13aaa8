package io.capstan.node.cri;

import java.util.List;

/**
 * A container's security settings after the agent applied the pod and container securityContext.
 *
 * @param runAsUser the uid to run as, or {@code null} for the image's user (root if none)
 * @param runAsGroup the gid to run as, or {@code null} for the image's (or the user's) group
 * @param supplementalGroups extra gids
 * @param capabilitiesAdd capability names to add to Docker's default set (e.g. {@code NET_ADMIN},
 *     with or without the {@code CAP_} prefix; {@code ALL} for every capability)
 * @param capabilitiesDrop capability names to drop from it ({@code ALL} drops every one)
 * @param privileged every capability, no masked or read-only kernel paths
 * @param noNewPrivileges set {@code no_new_privs} (false only when allowPrivilegeEscalation is true
 *     or the container is privileged)
 * @param readOnlyRootFilesystem mount the root filesystem read-only
 */
public record SecuritySpec(
        Long runAsUser,
        Long runAsGroup,
        List<Long> supplementalGroups,
        List<String> capabilitiesAdd,
        List<String> capabilitiesDrop,
        boolean privileged,
        boolean noNewPrivileges,
        boolean readOnlyRootFilesystem) {

    public SecuritySpec {
        supplementalGroups = List.copyOf(supplementalGroups);
        capabilitiesAdd = List.copyOf(capabilitiesAdd);
        capabilitiesDrop = List.copyOf(capabilitiesDrop);
    }

    /** The defaults of a container with no securityContext: image user, Docker's capabilities. */
    public static SecuritySpec defaults() {
        return new SecuritySpec(null, null, List.of(), List.of(), List.of(), false, true, false);
    }
}
