package io.capstan.node.agent.api;

/**
 * A request the agent API refuses, answered with a Kubernetes Status of {@code code} and
 * {@code reason} whose message is this exception's.
 */
final class ApiError extends Exception {
    private final int code;
    private final String reason;

    ApiError(int code, String reason, String message) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "NotFound", message);
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }
}
