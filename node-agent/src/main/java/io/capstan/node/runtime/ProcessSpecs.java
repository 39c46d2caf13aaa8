package io.capstan.node.runtime;

import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SecuritySpec;
import io.capstan.node.image.ImageConfig;
import io.capstan.node.shim.Privileges;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges a container spec with its image's config as Kubernetes and containerd do:
 * <ul>
 *   <li>argv: {@code command} replaces the image entrypoint and drops the image cmd; {@code args}
 *       replace the image cmd; an empty result is refused ({@code CreateContainerError});</li>
 *   <li>env: the image's entries, each overridden in place by a pod entry of the same name, then
 *       the pod's other entries in order;</li>
 *   <li>working dir: the pod's, else the image's, else {@code /};</li>
 *   <li>user: {@code runAsUser} (its group from the image's {@code /etc/passwd}, else 0), else the
 *       image's {@code user[:group]}, numeric or looked up in the root filesystem's
 *       {@code /etc/passwd} and {@code /etc/group}; {@code runAsGroup} overrides the group;
 *       supplementary groups are the user's memberships in {@code /etc/group} plus the pod's
 *       {@code supplementalGroups}.</li>
 * </ul>
 */
final class ProcessSpecs {

    /** What the container's process runs with. */
    record Resolved(List<String> argv, Map<String, String> env, String cwd, Privileges privileges) {}

    private ProcessSpecs() {
    }

    static Resolved resolve(ContainerSpec spec, ImageConfig image, Path rootfs) throws RuntimeFailure {
        return new Resolved(argv(spec, image), env(spec, image), cwd(spec, image),
                privileges(spec.security(), image.user(), rootfs));
    }

    static List<String> argv(ContainerSpec spec, ImageConfig image) throws RuntimeFailure {
        List<String> argv = new ArrayList<>();
        if (!spec.command().isEmpty()) {
            argv.addAll(spec.command());
            argv.addAll(spec.args());
        } else {
            argv.addAll(image.entrypoint());
            argv.addAll(spec.args().isEmpty() ? image.cmd() : spec.args());
        }
        if (argv.isEmpty()) {
            throw new RuntimeFailure("CreateContainerError",
                    "no command specified: the container sets none and image " + spec.image()
                            + " has no entrypoint or cmd");
        }
        return List.copyOf(argv);
    }

    static Map<String, String> env(ContainerSpec spec, ImageConfig image) throws RuntimeFailure {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : image.env()) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        for (ContainerSpec.EnvVar v : spec.env()) {
            if (v.name() == null || v.name().isEmpty() || v.name().contains("=")) {
                throw new RuntimeFailure("CreateContainerError",
                        "invalid environment variable name \"" + v.name() + "\"");
            }
            env.put(v.name(), v.value() == null ? "" : v.value());
        }
        return env;
    }

    static String cwd(ContainerSpec spec, ImageConfig image) {
        if (spec.workingDir() != null && !spec.workingDir().isBlank()) {
            return spec.workingDir();
        }
        return image.workingDir().isBlank() ? "/" : image.workingDir();
    }

    static Privileges privileges(SecuritySpec security, String imageUser, Path rootfs) throws RuntimeFailure {
        ImageUsers users;
        try {
            users = ImageUsers.read(rootfs);
        } catch (IOException e) {
            throw new RuntimeFailure("CreateContainerError", "cannot read the users of the image: " + e.getMessage(),
                    e);
        }
        long uid;
        long gid;
        if (security.runAsUser() != null) {
            uid = security.runAsUser();
            gid = users.byUid(uid).map(ImageUsers.User::gid).orElse(0L);
        } else {
            String user = imageUser == null ? "" : imageUser.trim();
            String userPart = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
            String groupPart = user.contains(":") ? user.substring(user.indexOf(':') + 1) : "";
            if (userPart.isEmpty()) {
                uid = 0;
                gid = users.byUid(0).map(ImageUsers.User::gid).orElse(0L);
            } else if (isNumber(userPart)) {
                uid = Long.parseLong(userPart);
                gid = users.byUid(uid).map(ImageUsers.User::gid).orElse(0L);
            } else {
                ImageUsers.User u = users.byName(userPart).orElseThrow(() -> new RuntimeFailure("CreateContainerError",
                        "unable to find user " + userPart + ": no matching entries in the image's /etc/passwd"));
                uid = u.uid();
                gid = u.gid();
            }
            if (!groupPart.isEmpty()) {
                if (isNumber(groupPart)) {
                    gid = Long.parseLong(groupPart);
                } else {
                    gid = users.groupByName(groupPart).orElseThrow(() -> new RuntimeFailure("CreateContainerError",
                            "unable to find group " + groupPart + ": no matching entries in the image's /etc/group"));
                }
            }
        }
        if (security.runAsGroup() != null) {
            gid = security.runAsGroup();
        }
        Set<Long> groups = new LinkedHashSet<>(users.memberships(uid));
        groups.addAll(security.supplementalGroups());
        groups.remove(gid);
        return new Privileges(uid, gid, List.copyOf(groups), security.capabilitiesAdd(), security.capabilitiesDrop(),
                security.privileged(), security.noNewPrivileges() && !security.privileged());
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 11 && s.chars().allMatch(Character::isDigit);
    }
}
