package io.capstan.node.graph;

import java.io.IOException;

/** A graph driver operation that cannot be done; {@link #reason()} says why. */
public final class GraphException extends IOException {

    /** Why an operation failed. */
    public enum Reason {
        /** The named layer (or the parent given for a new layer) does not exist. */
        NO_SUCH_LAYER,
        /** The named container does not exist. */
        NO_SUCH_CONTAINER,
        /** The layer is the parent of another layer or the top layer of a container. */
        LAYER_IN_USE,
        /** The id is taken by a layer or container with a different parent or settings. */
        CONFLICT,
        /** The tar stream is corrupt or truncated, or an entry tries to leave the layer. */
        INVALID_LAYER,
        /** The id cannot be used (empty or too long). */
        INVALID_ID,
        /** The host cannot run this driver (e.g. no overlayfs), or a limit was hit. */
        UNSUPPORTED
    }

    private final Reason reason;

    public GraphException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public GraphException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
