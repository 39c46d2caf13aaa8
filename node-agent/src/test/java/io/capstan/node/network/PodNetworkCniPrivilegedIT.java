package io.capstan.node.network;

import org.junit.jupiter.api.Tag;

/** {@link PodNetworkPrivilegedIT}'s tests on the CNI path (loopback, bridge, host-local, portmap). */
@Tag("privileged")
class PodNetworkCniPrivilegedIT extends PodNetworkPrivilegedIT {
    @Override
    NetworkConfig config(String podCidr) {
        return super.config(podCidr).withMode(NetworkConfig.Mode.CNI);
    }
}
