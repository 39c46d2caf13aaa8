package io.capstan.node.agent.net;

import io.capstan.node.cri.ContainerSpec;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the pod workers ask of the node's network, around each pod's sandbox:
 * {@link #attach} before the sandbox is made (its namespace becomes {@code SandboxSpec.netnsPath},
 * its addresses {@code status.podIP(s)}), {@link #detach} after the sandbox is removed,
 * {@link #gc} once before the pod workers start, and per container the files and variables the
 * network gives it (resolv.conf, service environment variables). {@link #NONE} does nothing: pods
 * then get a sandbox of their own with only loopback, as before pod networking existed.
 * Calls for one pod are serialized by the caller; calls for different pods may overlap.
 */
public interface PodNetworking extends AutoCloseable {

    /**
     * A pod on the network.
     *
     * @param netnsPath the pinned network namespace the sandbox joins
     * @param ips the pod's addresses (the first is {@code status.podIP})
     */
    record Attachment(String netnsPath, List<String> ips) {
        public Attachment {
            ips = List.copyOf(ips);
        }
    }

    /** Setting up a pod's network failed; the sync records FailedCreatePodSandBox and retries. */
    final class SetupException extends Exception {
        public SetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Starts what serves every pod (the cluster DNS server); the pod network itself starts lazily. */
    default void start() throws Exception {}

    /** Tears down the networks of pods not in {@code alive} (left by a crash or a missed deletion). */
    default void gc(Set<String> alive) {}

    /** Puts {@code pod} on the network; {@code null} when it has none of its own (hostNetwork, or NONE). */
    default Attachment attach(Pod pod) throws SetupException {
        return null;
    }

    /** Takes pod {@code uid} off the network and removes its files; idempotent. */
    default void detach(String podUid) throws IOException {}

    /**
     * The bind mounts the network gives every container of {@code pod} (its resolv.conf), written
     * now; {@code warn} receives kubelet's DNS warnings (reason, message) for the pod's events.
     */
    default List<ContainerSpec.MountSpec> mounts(Pod pod, BiConsumer<String, String> warn) throws IOException {
        return List.of();
    }

    /** {@code env} (the container's own variables) followed by the service variables it does not define. */
    default List<ContainerSpec.EnvVar> withServiceEnv(Pod pod, List<ContainerSpec.EnvVar> env) {
        return env;
    }

    @Override
    default void close() {}

    /** No pod networking. */
    PodNetworking NONE = new PodNetworking() {};
}
