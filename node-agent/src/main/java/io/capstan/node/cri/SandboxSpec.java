package io.capstan.node.cri;

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
 */
public record SandboxSpec(
        String podUid, String namespace, String name, String hostname, PodResources resources, String netnsPath) {}
