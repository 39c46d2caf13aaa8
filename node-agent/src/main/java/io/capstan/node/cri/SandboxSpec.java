package io.capstan.node.cri;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a pod sandbox is made from.
 *
 * @param podUid the pod's metadata.uid, the sandbox's identity
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param hostname the UTS hostname of every container of the pod (the pod name unless
 *     spec.hostname says otherwise)
 * @param resources the pod-level cgroup: its QoS class and the sums of its containers' limits
 * @param netnsPath a network namespace to join — one prepared by the pod network (CNI), or the
 *     host's ({@code /proc/<agent pid>/ns/net}) for a hostNetwork pod — or {@code null} for a new
 *     namespace with only loopback, brought up by the runtime
 * @param shareProcessNamespace whether the pod's containers share one PID namespace, whose PID 1
 *     is the sandbox's holder (spec.shareProcessNamespace)
 * @param sysctls namespaced sysctls set in the pod's network and IPC namespaces before any container
 *     starts (spec.securityContext.sysctls, already checked against what the node allows)
 */
public record SandboxSpec(
        String podUid, String namespace, String name, String hostname, PodResources resources, String netnsPath,
        boolean shareProcessNamespace, Map<String, String> sysctls) {

    public SandboxSpec {
        sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    }

    /** A sandbox with its own PID namespaces per container and no sysctls. */
    public SandboxSpec(String podUid, String namespace, String name, String hostname, PodResources resources,
            String netnsPath) {
        this(podUid, namespace, name, hostname, resources, netnsPath, false, Map.of());
    }

    /** The same sandbox in another network namespace. */
    public SandboxSpec withNetns(String path) {
        return new SandboxSpec(podUid, namespace, name, hostname, resources, path, shareProcessNamespace, sysctls);
    }
}
