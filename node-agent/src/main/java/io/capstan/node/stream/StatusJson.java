package io.capstan.node.stream;

/**
 * The Kubernetes {@code Status} objects of the streaming protocols: the channel-3 / error-stream
 * outcome of a session (v4 and later) and the body of a refused upgrade.
 */
public final class StatusJson {
    private StatusJson() {}

    /** The outcome of a session that ended normally. */
    static String success() {
        return "{\"metadata\":{},\"status\":\"Success\"}";
    }

    /** A command that exited with {@code code}; kubectl prints "command terminated with exit code N". */
    static String nonZeroExit(String command, int code) {
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + quote("command terminated with non-zero exit code: command '" + command + "' exited with "
                        + code)
                + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                + code + "\"}]}}";
    }

    /** A session that failed (the runtime could not start or attach); kubectl prints the message. */
    static String internalError(String message) {
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + quote("Internal error occurred: " + message)
                + ",\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":" + quote(message)
                + "}]},\"code\":500}";
    }

    /** A failure {@code Status} with an HTTP code, a reason and a message (also the agent API's errors). */
    public static String error(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + quote(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
