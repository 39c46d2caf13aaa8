package io.capstan.node.stream;

import io.capstan.node.cri.ContainerRuntime;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

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
    private static final Logger LOG = Logger.getLogger(StreamServer.class);
    private final StreamOptions options;
    private final Idle idle;

    /** A server over {@code runtime} with the given timeouts. */
    public StreamServer(ContainerRuntime runtime, StreamOptions options) {
        this.runtime = Objects.requireNonNull(runtime);
        this.options = Objects.requireNonNull(options);
        this.idle = new Idle(options.idleTimeout());
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
        List<String> command = req.queryAll("command");
        serveCommand(req, in, out, command.isEmpty() ? "you must specify at least one command for the container" : null,
                "exec", streams -> RemoteCommand.exec(runtime, containerId, command, req.flag("tty"), streams,
                        options.drainTimeout()));
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
        serveCommand(req, in, out, null, "attach",
                streams -> RemoteCommand.attach(runtime, containerId, output, req.flag("tty"), streams));
    }

    /**
     * Forwards connections to ports of the pod {@code podUid} ({@code /portForward/{ns}/{pod}}): the
     * client opens a pair of SPDY streams per connection (headers {@code streamType} error|data,
     * {@code port}, {@code requestID}); each pair is relayed to
     * {@link ContainerRuntime#portForward}. A connect error goes as text on the pair's error stream
     * and the session stays usable for further pairs. A {@code port} query parameter, when given,
     * must be a valid port. The session ends when the client closes it.
     */
    public void portForward(StreamRequest req, String podUid, InputStream in, OutputStream out) throws IOException {
        try (in; out) {
            Handshake.Choice choice;
            try {
                for (String p : req.queryAll("port")) {
                    if (PortForwarder.validPort(p) < 0) {
                        throw new Handshake.Refused("invalid port " + StatusJson.quote(p)
                                + ": must be a number between 1 and 65535");
                    }
                }
                choice = Handshake.portForward(req);
            } catch (Handshake.Refused e) {
                Handshake.refuse(out, 400, "BadRequest", e.getMessage());
                return;
            }
            Handshake.accept(choice, req, out);
            PortForwarder forwarder = new PortForwarder(runtime, podUid, podName(req.path()),
                    options.streamCreationTimeout());
            Session session = open(choice, in, out);
            try {
                session.spdy.serve(forwarder::accept);
            } finally {
                forwarder.closeAll();
                session.close();
            }
        }
    }

    private void serveCommand(StreamRequest req, InputStream in, OutputStream out, String invalid, String name,
            Consumer<CommandStreams> body) throws IOException {
        try (in; out) {
            boolean stdin = req.flag("stdin");
            boolean stdout = req.flag("stdout");
            boolean stderr = req.flag("stderr");
            boolean tty = req.flag("tty");
            Handshake.Choice choice;
            try {
                if (invalid != null) {
                    throw new Handshake.Refused(invalid);
                }
                if (!stdin && !stdout && !stderr) {
                    throw new Handshake.Refused("you must specify at least 1 of stdin, stdout, stderr");
                }
                choice = Handshake.command(req);
            } catch (Handshake.Refused e) {
                Handshake.refuse(out, 400, "BadRequest", e.getMessage());
                return;
            }
            Handshake.accept(choice, req, out);
            Idle.Watch watch = idle.watch(() -> Streams.closeAll(in, out));
            try {
                if (choice.transport() == Handshake.Transport.WEBSOCKET) {
                    WebSocketConnection ws = new WebSocketConnection(in, out, watch);
                    ChannelStreams streams = new ChannelStreams(ws, choice.protocol().equals(Handshake.V5), stdin,
                            stdout, stderr && !tty, options.closeLinger());
                    streams.start(name);
                    body.accept(streams);
                } else {
                    SpdyConnection spdy = new SpdyConnection(new BufferedInputStream(in),
                            new BufferedOutputStream(out, 64 * 1024), watch);
                    SpdyCommandStreams streams = new SpdyCommandStreams(spdy, choice.protocol(), stdin, stdout,
                            stderr, tty, options.closeLinger());
                    Threads.start("stream-spdy-" + name, () -> spdy.serve(streams::accept));
                    if (streams.awaitStreams(options.streamCreationTimeout())) {
                        body.accept(streams);
                    } else {
                        LOG.debugf("%s: the client did not open its streams in time", name);
                        spdy.close();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                watch.cancel();
            }
        }
    }

    /** The transports of a port-forward session: SPDY, plain or in WebSocket messages. */
    private static final class Session implements AutoCloseable {
        final SpdyConnection spdy;
        final WebSocketConnection ws;
        final Idle.Watch watch;

        Session(SpdyConnection spdy, WebSocketConnection ws, Idle.Watch watch) {
            this.spdy = spdy;
            this.ws = ws;
            this.watch = watch;
        }

        @Override
        public void close() {
            watch.cancel();
            if (ws != null) {
                ws.sendClose(1000, "");
                ws.close();
            }
            spdy.close();
        }
    }

    private Session open(Handshake.Choice choice, InputStream in, OutputStream out) {
        Idle.Watch watch = idle.watch(() -> Streams.closeAll(in, out));
        if (choice.transport() == Handshake.Transport.WEBSOCKET) {
            WebSocketConnection ws = new WebSocketConnection(in, out, watch);
            WebSocketTunnel tunnel = new WebSocketTunnel(ws);
            return new Session(new SpdyConnection(tunnel.input(), tunnel.output(), watch), ws, watch);
        }
        return new Session(new SpdyConnection(new BufferedInputStream(in), new BufferedOutputStream(out, 64 * 1024),
                watch), null, watch);
    }

    /** "ns/name" from {@code /portForward/{ns}/{name}}, else the path itself. */
    private static String podName(String path) {
        String[] parts = path.split("/");
        return parts.length >= 4 ? parts[2] + "/" + parts[3] : path;
    }
}
