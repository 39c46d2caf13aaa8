package io.capstan.node.logs;

/**
 * The logs asked for cannot be read: the container has no log directory or file, or there is no
 * previous attempt ({@code previous terminated container "<c>" in pod "<p>" not found}). The
 * message is meant for the user (the endpoint answers it as a 400/404 Status message).
 */
public final class LogException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates it with a user-facing message. */
    public LogException(String message) {
        super(message);
    }

    /** Creates it with a user-facing message and the I/O failure behind it. */
    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
