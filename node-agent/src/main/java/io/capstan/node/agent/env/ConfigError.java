package io.capstan.node.agent.env;

/**
 * A container's configuration that cannot be resolved (a missing ConfigMap, Secret or key that is
 * not optional, an unsupported field path); reported as waiting reason
 * {@code CreateContainerConfigError} with this message, as kubelet reports it.
 */
public final class ConfigError extends Exception {
    public ConfigError(String message) {
        super(message);
    }
}
