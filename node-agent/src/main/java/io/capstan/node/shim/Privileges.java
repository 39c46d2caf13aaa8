package io.capstan.node.shim;

import io.capstan.node.cri.SecuritySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity and privileges a container process (or an exec in it) runs with. Capabilities start
 * from Docker's default set of 14; {@code ALL} may be added or dropped; names work with or without
 * {@code CAP_}. A non-root uid gets no effective capabilities, as in Docker and Kubernetes.
 *
 * @param uid the uid, or {@code null} for root
 * @param gid the gid, or {@code null} for group 0
 * @param groups supplementary gids (the host's are never kept)
 * @param capAdd capability names to add
 * @param capDrop capability names to drop
 * @param privileged every capability, no masked or read-only kernel paths, writable /sys
 * @param noNewPrivileges set no_new_privs before exec
 */
public record Privileges(
        Long uid,
        Long gid,
        List<Long> groups,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean noNewPrivileges) {

    public Privileges {
        groups = List.copyOf(groups);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
    }

    /** Root with Docker's default capabilities, no_new_privs off. */
    public static Privileges defaults() {
        return new Privileges(null, null, List.of(), List.of(), List.of(), false, false);
    }

    /** The privileges a resolved securityContext asks for. */
    public static Privileges from(SecuritySpec security) {
        return new Privileges(
                security.runAsUser(),
                security.runAsGroup(),
                security.supplementalGroups(),
                security.capabilitiesAdd(),
                security.capabilitiesDrop(),
                security.privileged(),
                security.noNewPrivileges());
    }

    /** The shim's command-line options for these privileges. */
    List<String> arguments() {
        List<String> args = new ArrayList<>();
        if (uid != null) {
            args.add("--uid");
            args.add(Long.toString(uid));
        }
        if (gid != null) {
            args.add("--gid");
            args.add(Long.toString(gid));
        }
        if (!groups.isEmpty()) {
            args.add("--groups");
            args.add(String.join(",", groups.stream().map(String::valueOf).toList()));
        }
        for (String cap : capAdd) {
            args.add("--cap-add");
            args.add(cap);
        }
        for (String cap : capDrop) {
            args.add("--cap-drop");
            args.add(cap);
        }
        if (privileged) {
            args.add("--privileged");
        }
        if (noNewPrivileges) {
            args.add("--no-new-privs");
        }
        return args;
    }
}
