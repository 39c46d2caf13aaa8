package io.capstan.node.agent.api;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.stream.StreamServer;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The agent's HTTP/1.1 API on 127.0.0.1 (no TLS yet; only the API server, holding the node's
 * {@link NodeSecret}, is let in). One blocking thread per connection from a bounded pool of
 * {@value #MAX_CONNECTIONS}; a connection over that gets 503. A request head must arrive within
 * {@value #HEAD_TIMEOUT_MILLIS} ms; malformed heads get 400, a missing or wrong secret 401, each
 * with a Kubernetes Status, and the connection is closed after every response. {@link #close()}
 * stops accepting and closes every open connection, ending its streams.
 */
public final class KubeletApi implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubeletApi.class);
    static final int MAX_CONNECTIONS = 64;
    static final int HEAD_TIMEOUT_MILLIS = 10_000;

    /**
     * Where the API listens and where its secret lives.
     *
     * @param port the port on 127.0.0.1 ({@code --kubelet-port}, default 10250), 0 for any free one
     * @param secretsDir the directory of the node secrets ({@code --node-secrets-dir})
     */
    public record Options(int port, Path secretsDir) {
        public static final int DEFAULT_PORT = 10250;

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("invalid kubelet port " + port);
            }
        }
    }

    private final String nodeName;
    private final Options options;
    private final ApiRouter router;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor pool;
    private volatile ServerSocket server;
    private volatile NodeSecret secret;
    private volatile boolean closed;

    /**
     * An API for node {@code nodeName} over {@code pods} (the pod of this node with a namespace and
     * name, or {@code null}) and {@code runtime}; {@code logs} and {@code streams} serve the endpoints.
     */
    public KubeletApi(String nodeName, Options options, BiFunction<String, String, Pod> pods, ContainerRuntime runtime,
            ContainerLogs logs, PodStreams streams) {
        this.nodeName = nodeName;
        this.options = options;
        this.router = new ApiRouter(new Targets(pods, runtime), logs,
                streams != null ? streams : new RuntimeStreams(new StreamServer(runtime), logs));
        this.pool = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "kubelet-api-" + nodeName);
            t.setDaemon(true);
            return t;
        });
    }

    /** The same with the logs read by {@code io.capstan.node.logs} and given {@code streams}. */
    public KubeletApi(String nodeName, Options options, BiFunction<String, String, Pod> pods, ContainerRuntime runtime,
            PodStreams streams) {
        this(nodeName, options, pods, runtime, new NodeLogs(runtime), streams);
    }

    /** The same with exec, attach and port-forward served by {@link StreamServer} over {@code runtime}. */
    public KubeletApi(String nodeName, Options options, BiFunction<String, String, Pod> pods,
            ContainerRuntime runtime) {
        this(nodeName, options, pods, runtime, new NodeLogs(runtime), null);
    }

    /** Reads (or creates) the node secret, binds the port and starts accepting. */
    public void start() throws IOException {
        secret = NodeSecret.loadOrCreate(options.secretsDir(), nodeName);
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 128);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on 127.0.0.1:" + options.port() + " for the node agent API: "
                    + e.getMessage(), e);
        }
        server = s;
        Thread acceptor = new Thread(this::accept, "kubelet-api-accept-" + nodeName);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.infof("node agent API listening on 127.0.0.1:%d", s.getLocalPort());
    }

    /** The bound port (after {@link #start()}), else the configured one. */
    public int port() {
        ServerSocket s = server;
        return s != null ? s.getLocalPort() : options.port();
    }

    private void accept() {
        while (!closed) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warnf("node agent API stopped accepting: %s", e.getMessage());
                }
                return;
            }
            open.add(c);
            try {
                pool.execute(() -> serve(c));
            } catch (RejectedExecutionException e) {
                try (c) {
                    Replies.status(c.getOutputStream(), 503, "ServiceUnavailable",
                            "the node agent API is serving too many connections");
                } catch (IOException ignored) {
                    // the client is gone
                } finally {
                    open.remove(c);
                }
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            c.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            c.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(c.getInputStream());
            OutputStream out = new BufferedOutputStream(c.getOutputStream());
            RequestHead head;
            try {
                head = RequestHead.read(in);
                if (head == null) {
                    return;
                }
            } catch (ApiError e) {
                Replies.status(out, e);
                return;
            }
            c.setSoTimeout(0);
            try {
                if (!secret.matches(head.header(NodeSecret.HEADER))) {
                    throw new ApiError(401, "Unauthorized", "Unauthorized");
                }
                router.route(head, in, out);
            } catch (ApiError e) {
                Replies.status(out, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "node agent API: %s %s failed", head.method(), head.path());
                Replies.status(out, 500, "InternalError", "internal error: " + e);
            }
        } catch (SocketTimeoutException e) {
            LOG.debugf("node agent API: no request head in time");
        } catch (IOException e) {
            LOG.debugf("node agent API connection ended: %s", e.getMessage());
        } finally {
            open.remove(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        ServerSocket s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Socket c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        pool.shutdownNow();
    }
}
