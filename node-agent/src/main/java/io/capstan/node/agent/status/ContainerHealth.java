package io.capstan.node.agent.status;

/**
 * What the probes say about a running container instance (kubelet's prober manager view):
 * {@code started} follows the startup probe, {@code ready} the readiness probe once started.
 * {@link #NONE} is a pod without probes: a running container is started and ready.
 */
public interface ContainerHealth {
    /** Every running container is started and ready. */
    ContainerHealth NONE = new ContainerHealth() {
        @Override
        public boolean started(String container, String containerId) {
            return true;
        }

        @Override
        public boolean ready(String container, String containerId) {
            return true;
        }
    };

    /** Whether the running instance {@code containerId} of {@code container} has started. */
    boolean started(String container, String containerId);

    /** Whether the running instance {@code containerId} of {@code container} is ready (implies started). */
    boolean ready(String container, String containerId);
}
