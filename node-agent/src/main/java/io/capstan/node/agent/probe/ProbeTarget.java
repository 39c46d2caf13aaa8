package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * What a probe runs against: the pod, the container's spec (for named ports), the running instance
 * (for exec) and the pod's IP (the default host of httpGet and tcpSocket; null while it has none).
 */
public record ProbeTarget(Pod pod, Container container, String containerId, String podIp) {}
