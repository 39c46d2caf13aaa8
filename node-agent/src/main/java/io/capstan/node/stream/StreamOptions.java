package io.capstan.node.stream;

import java.time.Duration;

/**
 * Timeouts of streaming sessions.
 *
 * @param idleTimeout a session with no frame in either direction for this long is closed (kubelet's
 *     {@code streamingConnectionIdleTimeout}, default 4 h)
 * @param streamCreationTimeout how long a SPDY client may take to open the streams of an exec or
 *     attach, or the second stream of a port-forward pair (default 30 s, as kubelet)
 * @param closeLinger after the final status and close, how long to wait for the client to close its
 *     side before the connection is closed anyway (default 5 s)
 * @param drainTimeout after an exec'd command ended, how long its output may still be copied (a
 *     background process keeping the pipe open does not hold the session; default 2 s)
 */
public record StreamOptions(
        Duration idleTimeout, Duration streamCreationTimeout, Duration closeLinger, Duration drainTimeout) {

    /** Kubelet-like defaults. */
    public static StreamOptions defaults() {
        return new StreamOptions(Duration.ofHours(4), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
    }
}
