package io.capstan.node.cri;

/**
 * A runtime operation that failed, with the Kubernetes reason the agent reports in the container's
 * waiting state (e.g. {@code CreateContainerError}, {@code RunContainerError},
 * {@code CreateContainerConfigError}) and a one-line message a user can act on.
 */
public class RuntimeFailure extends Exception {
    private final String reason;

    public RuntimeFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RuntimeFailure(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The Kubernetes waiting reason, CamelCase. */
    public String reason() {
        return reason;
    }
}
