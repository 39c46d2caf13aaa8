package io.capstan.node.agent.probe;

/**
 * What one run of a probe handler found. SUCCESS and WARNING (kubelet's redirect to another
 * host) count as success; FAILURE counts toward the failure threshold; ERROR means the probe could
 * not be run (a named port that does not exist, an exec into a stopped container, gRPC) and its
 * result is thrown away, as kubelet does.
 *
 * @param output what the user sees after "probe failed: " (the command's output, the HTTP status,
 *     the connect error), or the error message
 */
public record Outcome(Status status, String output) {
    /** How a probe run ended. */
    public enum Status {
        SUCCESS,
        WARNING,
        FAILURE,
        ERROR
    }

    public static Outcome success(String output) {
        return new Outcome(Status.SUCCESS, output);
    }

    public static Outcome warning(String output) {
        return new Outcome(Status.WARNING, output);
    }

    public static Outcome failure(String output) {
        return new Outcome(Status.FAILURE, output);
    }

    public static Outcome error(String message) {
        return new Outcome(Status.ERROR, message);
    }
}
