package io.capstan.node.network;

import java.nio.file.Path;
import java.util.List;

/**
 * A pod on the node's network.
 *
 * @param podUid the pod's uid (also the CNI container id)
 * @param netnsPath the pinned network namespace; give it to the sandbox as
 *     {@code SandboxSpec.netnsPath}
 * @param ips the pod's addresses on {@code eth0}, for {@code status.podIP} (the first) and
 *     {@code status.podIPs}
 */
public record PodAttachment(String podUid, Path netnsPath, List<String> ips) {
    public PodAttachment {
        ips = List.copyOf(ips);
    }
}
