package io.capstan.node.shim;

/**
 * The shim could not start the command: setup failed (exit 125) or the shim vanished before the
 * command was exec'd. The message is the shim's error line, e.g.
 * {@code capstan-shim: exec "nosuch": No such file or directory (errno 2)}.
 */
public class ShimStartException extends Exception {
    private final int exitCode;

    public ShimStartException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The shim's exit code, 125 for a setup failure. */
    public int exitCode() {
        return exitCode;
    }

    /** True if the command itself could not be exec'd (not found, not executable). */
    public boolean isExecFailure() {
        return getMessage() != null && getMessage().startsWith("capstan-shim: exec \"");
    }
}
