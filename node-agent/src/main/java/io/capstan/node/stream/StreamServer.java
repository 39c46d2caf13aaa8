package io.capstan.node.stream;

import io.capstan.node.cri.ContainerRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Serves {@code kubectl exec}, {@code attach} and {@code port-forward} on a raw connection whose
 * HTTP/1.1 request head the agent API has already read and authenticated. Each entry point chooses
 * the protocol from the request ({@code Upgrade: websocket} with {@code Sec-WebSocket-Protocol}, or
 * {@code Upgrade: SPDY/3.1} with {@code X-Stream-Protocol-Version}), writes the {@code 101} answer
 * itself, or a {@code 400} Kubernetes Status when nothing the client offers is supported or the
 * request is invalid, then serves the session and returns when it is over. The entry points own the
 * connection: {@code in} must start with the first byte after the request head, and both streams
 * are closed when the method returns. Sessions end when either side ends (the command exits, the
 * container ends, the client closes) or after {@link StreamOptions#idleTimeout()} without traffic;
 * the threads they use are daemon threads named {@code stream-...}.
 */
public final class StreamServer {
    private final ContainerRuntime runtime;
    private final StreamOptions options;

    /** A server over {@code runtime} with the given timeouts. */
    public StreamServer(ContainerRuntime runtime, StreamOptions options) {
        this.runtime = Objects.requireNonNull(runtime);
        this.options = Objects.requireNonNull(options);
    }

    /** A server over {@code runtime} with {@link StreamOptions#defaults()}. */
    public StreamServer(ContainerRuntime runtime) {
        this(runtime, StreamOptions.defaults());
    }

    /**
     * Runs a command in the running container {@code containerId} ({@code /exec/...}): the query
     * carries {@code command} (repeated), {@code stdin}, {@code stdout}, {@code stderr} and
     * {@code tty}. The session ends with the command: its exit code travels as the final Status
     * (Success, or Failure/NonZeroExitCode); a runtime failure travels as a Failure Status with its
     * message.
     */
    public void exec(StreamRequest req, String containerId, InputStream in, OutputStream out) throws IOException {
        try (in; out) {
            refuse(out, "exec is not implemented yet");
        }
    }

    /**
     * Attaches to the running container {@code containerId} ({@code /attach/...}; query
     * {@code stdin}, {@code stdout}, {@code stderr}, {@code tty}): the client's stdin and terminal
     * size go to {@link ContainerRuntime#attach}, what the container prints comes from
     * {@code output}. The session ends when {@code output} returns (the container ended) or the
     * client closes.
     */
    public void attach(StreamRequest req, String containerId, OutputSource output, InputStream in, OutputStream out)
            throws IOException {
        try (in; out) {
            refuse(out, "attach is not implemented yet");
        }
    }

    /**
     * Forwards connections to ports of the pod {@code podUid} ({@code /portForward/{ns}/{pod}}): the
     * client opens a pair of SPDY streams per connection (headers {@code streamType} error|data,
     * {@code port}, {@code requestID}); each pair is relayed to
     * {@link ContainerRuntime#portForward}. A connect error goes as text on the pair's error stream
     * and the session stays usable for further pairs. The session ends when the client closes it.
     */
    public void portForward(StreamRequest req, String podUid, InputStream in, OutputStream out) throws IOException {
        try (in; out) {
            refuse(out, "port forwarding is not implemented yet");
        }
    }

    private static void refuse(OutputStream out, String message) throws IOException {
        Handshake.refuse(out, 400, "BadRequest", message);
    }
}
