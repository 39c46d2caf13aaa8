package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Pod;

/** Where probe workers record kubelet's events about a container (Unhealthy, ProbeWarning, Killing). */
public interface ProbeEvents {
    void normal(Pod pod, String container, String reason, String message);

    void warning(Pod pod, String container, String reason, String message);
}
