package io.capstan.node.cri;

import java.time.Instant;

/**
 * A pod sandbox as the runtime reports it.
 *
 * @param podUid the pod's uid
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param ready whether its namespaces are alive (false once its holder process is gone)
 * @param createdAt when it was created
 * @param netnsPath the path of its network namespace, for the pod network (CNI) to configure
 */
public record SandboxStatus(
        String podUid, String namespace, String name, boolean ready, Instant createdAt, String netnsPath) {}
