package io.capstan.node.agent.pod;

import io.capstan.node.cri.SecuritySpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's effective security settings: the container's securityContext over the pod's
 * (runAsUser, runAsGroup), the pod's supplementalGroups and fsGroup as extra groups, capabilities,
 * privileged, readOnlyRootFilesystem, and {@code no_new_privs} unless allowPrivilegeEscalation is
 * true or the container is privileged.
 */
final class SecurityContexts {
    private SecurityContexts() {}

    static SecuritySpec merge(Pod pod, Container c) {
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        SecurityContext sc = c.getSecurityContext();
        Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
                : psc != null ? psc.getRunAsUser() : null;
        Long group = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup()
                : psc != null ? psc.getRunAsGroup() : null;
        List<Long> groups = new ArrayList<>();
        if (psc != null && psc.getSupplementalGroups() != null) {
            groups.addAll(psc.getSupplementalGroups());
        }
        if (psc != null && psc.getFsGroup() != null && !groups.contains(psc.getFsGroup())) {
            groups.add(psc.getFsGroup());
        }
        List<String> add = List.of();
        List<String> drop = List.of();
        boolean privileged = false;
        boolean escalation = false;
        boolean readOnly = false;
        if (sc != null) {
            if (sc.getCapabilities() != null) {
                add = sc.getCapabilities().getAdd() == null ? List.of() : sc.getCapabilities().getAdd();
                drop = sc.getCapabilities().getDrop() == null ? List.of() : sc.getCapabilities().getDrop();
            }
            privileged = Boolean.TRUE.equals(sc.getPrivileged());
            escalation = Boolean.TRUE.equals(sc.getAllowPrivilegeEscalation());
            readOnly = Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem());
        }
        return new SecuritySpec(user, group, groups, add, drop, privileged, !(escalation || privileged), readOnly);
    }
}
