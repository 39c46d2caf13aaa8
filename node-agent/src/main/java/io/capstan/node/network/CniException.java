package io.capstan.node.network;

/**
 * A CNI plugin failed, timed out or could not be run. The message names the plugin, the command
 * and the plugin's own {@code msg} and {@code details} (CNI error JSON), or its exit code and
 * stderr when it printed no error JSON; it is meant for the user (the agent can put it into a
 * {@code FailedCreatePodSandBox} event).
 */
public class CniException extends Exception {
    private final int code;

    /**
     * @param code the CNI error code (e.g. 7 invalid network config, 11 try again later), or -1
     *     when the plugin could not be run or gave no error JSON
     */
    public CniException(String message, int code) {
        super(message);
        this.code = code;
    }

    public CniException(String message, Throwable cause) {
        super(message, cause);
        this.code = -1;
    }

    /** The CNI error code, or -1 when there is none. */
    public int code() {
        return code;
    }
}
