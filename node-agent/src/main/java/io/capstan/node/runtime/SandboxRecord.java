package io.capstan.node.runtime;

import io.capstan.node.cri.PodResources;

/**
 * What the runtime keeps about one pod sandbox in {@code runtime/sandboxes/<pod-uid>/sandbox.json}.
 *
 * @param podUid the pod's uid
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param hostname the pod's hostname
 * @param resources the pod cgroup's settings
 * @param netnsPath the network namespace the holder joined, or {@code null} for its own
 * @param createdAt when the sandbox was created (RFC 3339)
 * @param sharedPid whether the pod's containers join the holder's PID namespace (false in records
 *     written before the field existed, which is what those sandboxes did)
 */
record SandboxRecord(
        String podUid, String namespace, String name, String hostname, PodResources resources, String netnsPath,
        String createdAt, boolean sharedPid) {}
