package io.capstan.node.stream;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The client's side of an exec or attach session, whatever the transport (WebSocket channels or
 * SPDY streams): the standard streams the client asked for, its terminal size changes, and the
 * final status.
 */
interface CommandStreams {

    /** What the client types, or {@code null} when it did not ask for stdin; EOF when it closes stdin. */
    InputStream stdin();

    /** To the client's stdout, or {@code null} when not asked for. Writes fail once the client is gone. */
    OutputStream stdout();

    /** To the client's stderr, or {@code null} when not asked for (always with a tty). */
    OutputStream stderr();

    /** Delivers terminal size changes (the latest one received before, at once). */
    void onResize(Resizes.Listener listener);

    /** Runs {@code r} once when the client closes or the connection breaks (at once if it already did). */
    void onClientGone(Runnable r);

    /** Whether the client closed or the connection broke. */
    boolean clientGone();

    /**
     * Ends the session: sends the final status ({@code statusJson} for v4 and later;
     * {@code failureMessage} as plain text for older SPDY versions, nothing on success), ends the
     * streams, waits a little for the client to close and closes the connection.
     */
    void finish(String statusJson, String failureMessage);

    /** Closes the connection at once. */
    void close();
}
